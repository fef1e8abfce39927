using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Serilog;
using Serilog.Formatting.Display;
using Sozu.Actors.Logging;

namespace Sozu.Actors.Tests.Logging;

public sealed class DatagramSinkTests : IDisposable
{
    private static readonly MessageTemplateTextFormatter Formatter = new("{Message:l}{NewLine}", CultureInfo.InvariantCulture);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sozu-dgram-");

    [Fact]
    public void UdpTarget_SendsOneDatagramPerLine()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveTimeout = 5000;
        var port = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        using (var logger = LogTarget.WriteTo(new LoggerConfiguration(), $"udp://127.0.0.1:{port}", "{Message:l}{NewLine}").CreateLogger())
        {
            logger.Information("first {N}", 1);
            logger.Information("second {N}", 2);
        }
        Assert.Equal("first 1\n", Receive(receiver));
        Assert.Equal("second 2\n", Receive(receiver));
    }

    [Fact]
    public void UnixDatagramTarget_SendsOneDatagramPerLine()
    {
        var path = Path.Combine(_directory.FullName, "log.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        receiver.ReceiveTimeout = 5000;
        using (var logger = LogTarget.WriteTo(new LoggerConfiguration(), "unix://" + path, "{Message:l}{NewLine}").CreateLogger())
        {
            logger.Information("to syslog");
        }
        Assert.Equal("to syslog\n", Receive(receiver));
    }

    [Fact]
    public void AbsentReceiver_LosesAndCounts_WithoutThrowing()
    {
        using var sink = new DatagramSink(new UnixDomainSocketEndPoint(Path.Combine(_directory.FullName, "nobody.sock")), Formatter);
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("lost");
            logger.Information("lost again");
        }
        Assert.Equal(2, sink.Lost);
    }

    [Theory]
    [InlineData("udp://127.0.0.1:514", true)]
    [InlineData("udp://[::1]:514", true)]
    [InlineData("udp://127.0.0.1", false)]
    [InlineData("udp://logs.example.com:514", false)]
    [InlineData("unix://", false)]
    [InlineData("file:///tmp/x", false)]
    public void Destination_ParsesUdpAndUnixTargetsOnly(string target, bool parsed)
    {
        Assert.Equal(parsed, DatagramSink.Destination(target) is not null);
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[65_536];
        var count = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
