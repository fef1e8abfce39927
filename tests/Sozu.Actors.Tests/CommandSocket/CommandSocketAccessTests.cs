using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Client;
using Sozu.Actors.CommandSocket;
using Sozu.Actors.Configuration;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Tests.CommandSocket;

/// <summary>
/// command_allowed_uids over a real Unix socket: clients run as another user (nobody, through
/// setpriv and socat) are refused or served by the uid the kernel reports for them. The tests
/// run as root, as the product's test suite does (they need to change user).
/// </summary>
public sealed class CommandSocketAccessTests : TestKit, IDisposable
{
    private const uint Nobody = 65534;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly string _directory = Path.Combine("/tmp", "sozu-uid-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Akka.TestKit.TestProbe _configuration;

    public CommandSocketAccessTests()
    {
        // Searchable by everyone, so that another user reaches the socket file; the file's own mode decides the rest.
        Directory.CreateDirectory(_directory);
        File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        _configuration = CreateTestProbe();
    }

    private string SocketPath => Path.Combine(_directory, "sozu.sock");

    [Fact]
    public void Allows_RootAndOwnUidAndListed_RefusesOthersAndUnknown()
    {
        var access = new CommandSocketAccess(ValueList<uint>.Of(1000));
        Assert.True(access.Allows(0));
        Assert.True(access.Allows(1000));
        Assert.True(access.Allows(SelfUid()));
        Assert.False(access.Allows(1001));
        Assert.False(access.Allows(null));
        Assert.True(CommandSocketAccess.OwnerOnly.Allows(1001));
    }

    [Fact]
    public void SocketFile_IsOpenToEveryUser_OnlyWhenAListDecides()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, CommandSocketAccess.OwnerOnly.FileMode);
        Start(ValueList<uint>.Of(1000));
        Assert.Equal((UnixFileMode)0b110_110_110, File.GetUnixFileMode(SocketPath));
    }

    [Fact]
    public async Task AnotherUid_NotInTheList_GetsAnErrorLine_AndNoRequestIsRead()
    {
        Assert.Equal(0u, SelfUid()); // changing user needs root
        Start(ValueList<uint>.Of(12345));

        var (exit, output, errors) = await AsNobodyAsync("""{"id":"n1","type":"list_workers"}""");

        Assert.True(exit == 0, $"socat exited {exit}: {errors}");
        Assert.True(CommandJsonLine(output, out var answer), output);
        Assert.Equal(AnswerStatus.Error, answer.Status);
        Assert.Equal($"uid {Nobody} is not allowed on this command socket (command_allowed_uids)", answer.Message);
        _configuration.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task AnotherUid_InTheList_IsServed()
    {
        Assert.Equal(0u, SelfUid());
        Start(ValueList<uint>.Of(Nobody));

        var client = AsNobodyAsync("""{"id":"n2","type":"list_workers"}""");
        var execute = _configuration.ExpectMsg<ExecuteRequest>(Patience);
        _configuration.Reply(Answer.Ok(execute.Id, message: "served"));
        var (exit, output, errors) = await client;

        Assert.Equal("n2", execute.Id);
        Assert.True(exit == 0, $"socat exited {exit}: {errors}");
        Assert.True(CommandJsonLine(output, out var answer), output);
        Assert.Equal(Answer.Ok("n2", message: "served"), answer);
    }

    [Fact]
    public async Task Root_IsServed_EvenWhenNotListed()
    {
        Start(ValueList<uint>.Of(12345));
        await using var client = await CommandSocketClient.ConnectAsync(SocketPath, new CancellationTokenSource(Patience).Token);

        await client.SendLineAsync("""{"id":"r1","type":"list_workers"}""");

        Assert.Equal("r1", _configuration.ExpectMsg<ExecuteRequest>(Patience).Id);
    }

    [Fact]
    public async Task WithoutAList_AnotherUid_CannotOpenTheSocket()
    {
        Assert.Equal(0u, SelfUid());
        Start(null);

        var (exit, output, errors) = await AsNobodyAsync("""{"id":"n3","type":"list_workers"}""");

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.Contains("Permission denied", errors, StringComparison.Ordinal);
        _configuration.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Start(ValueList<uint>? allowed)
    {
        var settings = new CommandSocketSettings { Path = SocketPath, Access = new CommandSocketAccess(allowed) };
        Sys.ActorOf(CommandSocketListener.Props(_configuration.Ref, settings));
        AwaitCondition(() => File.Exists(SocketPath), Patience);
    }

    /// <summary>socat as uid/gid nobody: sends <paramref name="line"/>, prints what comes back; killed (by pid) past 15 s.</summary>
    private async Task<(int Exit, string Output, string Errors)> AsNobodyAsync(string line)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "socat", "-t", "5", "-", "UNIX-CONNECT:" + SocketPath })
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("setpriv did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteLineAsync(line);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException("socat as nobody did not finish in 15 s");
        }
        return (process.ExitCode, (await output).Trim(), await errors);
    }

    private static bool CommandJsonLine(string output, out Answer answer)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        answer = null!;
        return lines.Length == 1 && Sozu.Messages.Json.CommandJson.TryParseAnswer(System.Text.Encoding.UTF8.GetBytes(lines[0]), out answer!, out _);
    }

    private static uint SelfUid() => Sozu.Actors.Remoting.Interop.GetEffectiveUserId.Call();
}
