using System.Diagnostics;
using Sozu.Messages.Workers;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>
/// The supervisor's session-ticket keys as a worker installs them: a ticket sealed before a
/// rotation still opens (with the previous key) and comes back re-sealed with the current one;
/// a ticket of a key the worker no longer has means a full handshake, never a failure.
/// openssl s_client reports "Reused" or "New" for each handshake. TLS 1.3, because s_client saves
/// a renewed ticket only there (for TLS 1.2 it never saves the session of a resumed handshake);
/// it sends one request with Connection: close and reads until the proxy closes, so the tickets,
/// sent after the handshake, have all arrived.
/// </summary>
public sealed class TicketKeyRotationTests : IDisposable
{
    private static readonly TestCertificate Rsa = TestCertificate.Rsa("a.test");
    private readonly string _session = Path.Combine(Path.GetTempPath(), "sozu-ticket-" + Guid.NewGuid().ToString("N")[..10] + ".pem");

    [Fact(Timeout = 60_000)]
    public async Task ATicketOpensAcrossOneRotation_AndAnUnknownKeyFallsBackToAFullHandshake()
    {
        using var https = HttpsHarness.Start(certificates: [Rsa.ForProxy()]);
        var worker = https.Worker.Worker;
        var first = SessionTicketKeys.Generate();
        await worker.Invoke(() => Install(worker, first));

        Assert.Contains("New, TLSv1.3", Handshake(https.Address, resume: false), StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1.3", Handshake(https.Address, resume: true), StringComparison.Ordinal);

        // Rotated: the ticket sealed with the first key opens with it as the previous key, and is renewed.
        var second = first.Rotate();
        await worker.Invoke(() => Install(worker, second));
        Assert.Contains("Reused, TLSv1.3", Handshake(https.Address, resume: true), StringComparison.Ordinal);

        // Rotated again: the first key is gone, but the renewed ticket is sealed with the second.
        await worker.Invoke(() => Install(worker, second.Rotate()));
        Assert.Contains("Reused, TLSv1.3", Handshake(https.Address, resume: true), StringComparison.Ordinal);

        // Keys the ticket never knew (a supervisor restarted without them): served, with a full handshake.
        await worker.Invoke(() => Install(worker, SessionTicketKeys.Generate()));
        Assert.Contains("New, TLSv1.3", Handshake(https.Address, resume: true), StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1.3", Handshake(https.Address, resume: true), StringComparison.Ordinal);
    }

    private static bool Install(Sozu.Net.Worker.ProxyWorker worker, SessionTicketKeys keys)
    {
        worker.InstallTicketKeys(keys);
        return true;
    }

    private string Handshake(string address, bool resume)
    {
        var arguments = $"s_client -connect {address} -servername a.test -tls1_3 -ign_eof -sess_out {_session}" + (resume ? $" -sess_in {_session}" : "");
        var start = new ProcessStartInfo("/usr/bin/openssl", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write("GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(15_000))
        {
            process.Kill();
            throw new TimeoutException($"openssl {arguments} did not finish");
        }
        Assert.True(process.ExitCode == 0, $"openssl {arguments}: exit {process.ExitCode}\n{output.Result}{error.Result}");
        return output.Result;
    }

    public void Dispose() => File.Delete(_session);
}
