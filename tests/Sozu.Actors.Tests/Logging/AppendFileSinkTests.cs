using System.Globalization;
using Serilog;
using Serilog.Formatting.Display;
using Sozu.Actors.Logging;

namespace Sozu.Actors.Tests.Logging;

public sealed class AppendFileSinkTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sozu-append-");

    [Fact]
    public void TwoWritersOnOneFile_AppendEveryLineWhole_NoneOverwritten()
    {
        // Two sinks, two file handles: as two processes have. Each opened before the other wrote.
        var path = Path.Combine(_directory.FullName, "shared.log");
        const int PerWriter = 5_000;
        var formatter = new MessageTemplateTextFormatter("{Message:l}{NewLine}", CultureInfo.InvariantCulture);
        using var first = new LoggerConfiguration().WriteTo.Sink(new AppendFileSink(path, formatter)).CreateLogger();
        using var second = new LoggerConfiguration().WriteTo.Sink(new AppendFileSink(path, formatter)).CreateLogger();

        Parallel.Invoke(
            () => Write(first, "first", PerWriter),
            () => Write(second, "second", PerWriter));

        var lines = File.ReadAllLines(path);
        Assert.Equal(2 * PerWriter, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^(first|second) \d+ x{100}$", line));
        Assert.Equal(PerWriter, lines.Count(l => l.StartsWith("first ", StringComparison.Ordinal)));
    }

    [Fact]
    public void ExistingFile_IsAppendedTo_NotTruncated()
    {
        var path = Path.Combine(_directory.FullName, "existing.log");
        File.WriteAllText(path, "before\n");
        using (var logger = new LoggerConfiguration()
            .WriteTo.Sink(new AppendFileSink(path, new MessageTemplateTextFormatter("{Message:l}{NewLine}", CultureInfo.InvariantCulture)))
            .CreateLogger())
        {
            logger.Information("after");
        }
        Assert.Equal(["before", "after"], File.ReadAllLines(path));
    }

    [Fact]
    public void UnopenablePath_IsAnIOException()
    {
        var file = Path.Combine(_directory.FullName, "a-file");
        File.WriteAllText(file, "");
        var formatter = new MessageTemplateTextFormatter("{Message}", CultureInfo.InvariantCulture);
        Assert.ThrowsAny<IOException>(() => new AppendFileSink(Path.Combine(file, "below-a-file.log"), formatter));
    }

    private static void Write(ILogger logger, string who, int count)
    {
        var padding = new string('x', 100);
        for (var i = 0; i < count; i++)
        {
            logger.Information("{Who} {Number} {Padding}", who, i, padding);
        }
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
