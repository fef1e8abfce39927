using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Supervisor.Cli;

namespace Sozu.Supervisor.Commands;

/// <summary>`sozu certificate add|replace|remove`: reads the PEM files here, sends their contents.</summary>
internal static class CertificateCommands
{
    public static int Add(CliContext cli, string address, string certificateFile, string keyFile, string? chainFile)
    {
        var certificate = Read(cli, certificateFile, keyFile, chainFile);
        return certificate is null ? ExitCodes.Usage : SocketCommand.Run(cli, new AddCertificate(address, certificate));
    }

    public static int Replace(CliContext cli, string address, string certificateFile, string keyFile, string? chainFile, string? oldFingerprint, string? oldCertificateFile)
    {
        var certificate = Read(cli, certificateFile, keyFile, chainFile);
        var fingerprint = Fingerprint(cli, oldFingerprint, oldCertificateFile, "--old-fingerprint or --old-certificate");
        return certificate is null || fingerprint is null
            ? ExitCodes.Usage
            : SocketCommand.Run(cli, new ReplaceCertificate(address, fingerprint, certificate));
    }

    public static int Remove(CliContext cli, string address, string? fingerprint, string? certificateFile)
    {
        var resolved = Fingerprint(cli, fingerprint, certificateFile, "--fingerprint or --certificate");
        return resolved is null ? ExitCodes.Usage : SocketCommand.Run(cli, new RemoveCertificate(address, resolved));
    }

    private static CertificateAndKey? Read(CliContext cli, string certificateFile, string keyFile, string? chainFile)
    {
        var certificate = ReadFile(cli, certificateFile);
        var key = ReadFile(cli, keyFile);
        var chain = chainFile is null ? "" : ReadFile(cli, chainFile);
        if (certificate is null || key is null || chain is null)
        {
            return null;
        }
        return new CertificateAndKey
        {
            Certificate = certificate,
            Key = key,
            CertificateChain = chain.Length == 0 ? ValueList<string>.Empty : ValueList<string>.Of(chain),
        };
    }

    private static string? Fingerprint(CliContext cli, string? fingerprint, string? certificateFile, string which)
    {
        if (fingerprint is not null)
        {
            return fingerprint;
        }
        if (certificateFile is null)
        {
            cli.Stderr.WriteLine($"sozu certificate: give {which}");
            return null;
        }
        var pem = ReadFile(cli, certificateFile);
        if (pem is null)
        {
            return null;
        }
        var computed = CertificateFingerprint.TryCompute(pem);
        if (computed is null)
        {
            cli.Stderr.WriteLine($"sozu certificate: {certificateFile}: not a PEM certificate");
        }
        return computed;
    }

    private static string? ReadFile(CliContext cli, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cli.Stderr.WriteLine($"sozu certificate: {path}: {e.Message}");
            return null;
        }
    }
}
