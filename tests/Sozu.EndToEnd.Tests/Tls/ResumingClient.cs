using System.Diagnostics;
using System.Text;
using Sozu.EndToEnd.Tests.Support;

namespace Sozu.EndToEnd.Tests.Tls;

/// <summary>
/// One HTTPS connection by `openssl s_client`, resuming from (and saving to) a session file:
/// it sends one GET, waits for the backend's answer (so the TLS 1.3 tickets have arrived and the
/// connection is still open), notes which of the given processes holds the proxy's end, then
/// closes. "Reused" or "New" is what s_client itself reports for the handshake.
/// </summary>
internal static class ResumingClient
{
    public sealed record Outcome(bool Reused, int Owner, string Transcript);

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static async Task<Outcome> ConnectAsync(string openssl, int port, string sessionFile, string expectedBody, IReadOnlyList<int> owners, string tlsVersion = "-tls1_3")
    {
        var info = new ProcessStartInfo(openssl)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", tlsVersion, "-sess_out", sessionFile])
        {
            info.ArgumentList.Add(argument);
        }
        if (File.Exists(sessionFile))
        {
            info.ArgumentList.Add("-sess_in");
            info.ArgumentList.Add(sessionFile);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var transcript = new StringBuilder();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.StandardInput.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            await process.StandardInput.FlushAsync();
            var buffer = new char[4096];
            while (!transcript.ToString().Contains("\r\n\r\n" + expectedBody, StringComparison.Ordinal))
            {
                var read = await process.StandardOutput.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    throw new InvalidOperationException($"s_client ended before the answer:\n{transcript}\n{await stderr}");
                }
                transcript.Append(buffer, 0, read);
            }
            var owner = 0;
            var clientPort = SocketOwners.ClientPortOf(process.Id, port);
            if (clientPort != 0)
            {
                owner = SocketOwners.OwnerOf(port, clientPort, owners);
            }
            process.StandardInput.Close();
            transcript.Append(await process.StandardOutput.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
            var text = transcript.ToString();
            var reused = text.Contains("\nReused, ", StringComparison.Ordinal);
            if (!reused && !text.Contains("\nNew, ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("s_client reported neither New nor Reused:\n" + text);
            }
            return new Outcome(reused, owner, text);
        }
        catch (OperationCanceledException)
        {
            // We started it: ended by its id.
            process.Kill();
            throw new TimeoutException($"s_client (pid {process.Id}) did not finish within {Limit}:\n{transcript}");
        }
    }
}
