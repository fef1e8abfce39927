using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Sozu.Messages.Config;
using Sozu.Messages.Validation;
using Sozu.Net.Interop;
using Sozu.Net.Worker;

namespace Sozu.Net.Tls;

/// <summary>
/// What an HTTPS listener adds for TLS: its protocol settings, its certificates and the SNI
/// choice among them. Every connection starts on the listener's own context; the SNI callback
/// switches it to a certificate's context. Choice: the exact name, then a wildcard one level
/// up ("*.example.com" serves "a.example.com", not "a.b.example.com" nor "example.com"), then
/// the listener's default, which is the oldest certificate still present (a replaced
/// certificate keeps its rank). When several certificates serve one name, the newest wins,
/// so adding a renewed certificate before removing the old one switches at once. With no
/// certificate at all, a handshake ends with an unrecognized_name alert, counted.
/// Changes are atomic: a new context is built before anything is swapped, so a refused
/// request changes nothing; connections already open keep the context they started with.
/// Loop thread only (the OpenSSL callbacks run inside SSL_do_handshake on that thread).
/// </summary>
internal sealed unsafe class TlsListenerState : IDisposable
{
    private static readonly ConcurrentDictionary<long, TlsListenerState> Registry = new();
    private static long _lastId;

    private readonly List<TlsCertificate> _certificates = [];
    private readonly Dictionary<string, TlsCertificate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TlsCertificate> _wildcard = new(StringComparer.OrdinalIgnoreCase);
    private byte* _alpn;
    private int _alpnLength;
    private bool _disposed;
    private long _tls12Handshakes;
    private long _tls13Handshakes;
    private long _peerAlerts;
    private long _badClientHellos;
    private long _noSharedCipherOrVersion;
    private long _unknownServerNames;
    private long _peerClosed;

    private TlsListenerState(long id, TlsListenerOptions options, SslContextHandle context, TicketKeyring ticketKeys)
    {
        Id = id;
        TicketKeys = ticketKeys;
        Options = options;
        ListenerContext = context;
        SetAlpn(options.AlpnWire);
    }

    /// <summary>The key the OpenSSL callbacks receive as their argument (no GCHandle, no pointer to a managed object).</summary>
    public long Id { get; }

    public TlsListenerOptions Options { get; private set; }

    /// <summary>The worker's session-ticket keys (shared by its listeners; the worker owns and disposes them).</summary>
    public TicketKeyring TicketKeys { get; }

    /// <summary>The context new connections are created from.</summary>
    public SslContextHandle ListenerContext { get; private set; }

    public IReadOnlyList<TlsCertificate> Certificates => _certificates;

    public long Handshakes => _tls12Handshakes + _tls13Handshakes;

    public long HandshakeFailures { get; set; }

    public long HandshakeTimeouts { get; set; }

    /// <summary>
    /// Set by a callback that refuses the handshake (it knows why, OpenSSL only reports
    /// "callback failed"); the handshake stage clears it before each step and reads it on failure.
    /// </summary>
    public TlsFailureReason Refusal { get; set; }

    public TlsCounters Counters => new(
        Handshakes, HandshakeFailures, HandshakeTimeouts, _unknownServerNames, _certificates.Count,
        _tls12Handshakes, _tls13Handshakes, _peerAlerts, _badClientHellos, _noSharedCipherOrVersion, _peerClosed);

    /// <summary>A finished handshake, by its negotiated version (SSL_version: 0x0303 or 0x0304).</summary>
    public void CountHandshake(int version)
    {
        if (version == LibSsl.Tls13Version)
        {
            _tls13Handshakes++;
        }
        else
        {
            _tls12Handshakes++;
        }
    }

    public void CountFailure(TlsFailureReason reason)
    {
        HandshakeFailures++;
        switch (reason)
        {
            case TlsFailureReason.PeerAlert:
                _peerAlerts++;
                break;
            case TlsFailureReason.BadClientHello:
                _badClientHellos++;
                break;
            case TlsFailureReason.NoSharedCipherOrVersion:
                _noSharedCipherOrVersion++;
                break;
            case TlsFailureReason.UnknownServerName:
                _unknownServerNames++;
                break;
            case TlsFailureReason.PeerClosed:
                _peerClosed++;
                break;
            default:
                break;
        }
    }

    public static bool TryCreate(HttpsListenerConfig config, TicketKeyring ticketKeys, out TlsListenerState state, out string error)
    {
        state = null!;
        if (!TlsListenerOptions.TryCreate(config, out var options, out error))
        {
            return false;
        }
        var id = Interlocked.Increment(ref _lastId);
        var context = TlsContextFactory.CreateListenerContext(options, id, out error);
        if (context is null)
        {
            return false;
        }
        state = new TlsListenerState(id, options, context, ticketKeys);
        Registry[id] = state;
        return true;
    }

    internal static TlsListenerState? Find(long id) => Registry.GetValueOrDefault(id);

    /// <summary>New versions, ciphers or ALPN for connections accepted from now on.</summary>
    public ApplyResult Update(HttpsListenerConfig config)
    {
        if (!TlsListenerOptions.TryCreate(config, out var options, out var error))
        {
            return ApplyResult.Failure(error);
        }
        foreach (var certificate in _certificates)
        {
            if (options.Versions.Intersect(certificate.Versions).IsEmpty)
            {
                return ApplyResult.Failure($"versions: {options.Versions} would leave certificate {certificate.Fingerprint} (it allows {certificate.Versions}) no version to serve");
            }
        }
        var context = TlsContextFactory.CreateListenerContext(options, Id, out error);
        if (context is null)
        {
            return ApplyResult.Failure(error);
        }
        ListenerContext.Dispose();
        ListenerContext = context;
        Options = options;
        SetAlpn(options.AlpnWire);
        return ApplyResult.Success;
    }

    public ApplyResult Add(CertificateAndKey certificate)
    {
        if (!TryBuild(certificate, out var built, out var error))
        {
            return ApplyResult.Failure(error);
        }
        if (IndexOf(built.Fingerprint) >= 0)
        {
            built.Dispose();
            // The same certificate again: idempotent, as Sōzu.
            return ApplyResult.Success;
        }
        _certificates.Add(built);
        Reindex();
        return ApplyResult.Success;
    }

    public ApplyResult Replace(string oldFingerprint, CertificateAndKey certificate)
    {
        var index = IndexOf(oldFingerprint);
        if (index < 0)
        {
            return ApplyResult.Failure($"no certificate with fingerprint {oldFingerprint} on this listener");
        }
        if (!TryBuild(certificate, out var built, out var error))
        {
            return ApplyResult.Failure(error);
        }
        var existing = IndexOf(built.Fingerprint);
        if (existing >= 0 && existing != index)
        {
            built.Dispose();
            return ApplyResult.Failure($"certificate {built.Fingerprint} is already on this listener; remove {oldFingerprint} instead");
        }
        var old = _certificates[index];
        _certificates[index] = built;
        Reindex();
        old.Dispose();
        return ApplyResult.Success;
    }

    public ApplyResult Remove(string fingerprint)
    {
        var index = IndexOf(fingerprint);
        if (index < 0)
        {
            return ApplyResult.Failure($"no certificate with fingerprint {fingerprint} on this listener");
        }
        var old = _certificates[index];
        _certificates.RemoveAt(index);
        Reindex();
        old.Dispose();
        return ApplyResult.Success;
    }

    /// <summary>The context for an SNI name (ASCII bytes, no terminator), or the default; 0 when none.</summary>
    internal nint Resolve(ReadOnlySpan<byte> serverName, out bool matched) =>
        ResolveCertificate(serverName, out matched)?.Context.DangerousGetHandle() ?? 0;

    /// <summary>The certificate for an SNI name (ASCII bytes, no terminator), or the default; null when none.</summary>
    internal TlsCertificate? ResolveCertificate(ReadOnlySpan<byte> serverName, out bool matched)
    {
        matched = false;
        if (serverName.Length > 0 && serverName.Length <= 253)
        {
            if (serverName[^1] == (byte)'.')
            {
                serverName = serverName[..^1];
            }
            Span<char> name = stackalloc char[serverName.Length];
            for (var i = 0; i < serverName.Length; i++)
            {
                name[i] = (char)serverName[i];
            }
            if (_exact.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var exact))
            {
                matched = true;
                return exact;
            }
            var dot = name.IndexOf('.');
            if (dot > 0 && _wildcard.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name[(dot + 1)..], out var wildcard))
            {
                matched = true;
                return wildcard;
            }
        }
        return _certificates.Count > 0 ? _certificates[0] : null;
    }

    /// <summary>ALPN: the server's list in wire format, valid until the next update (loop thread).</summary>
    internal byte* AlpnPointer => _alpn;

    internal int AlpnLength => _alpnLength;

    private bool TryBuild(CertificateAndKey certificate, out TlsCertificate built, out string error)
    {
        built = null!;
        var (checkedCertificate, invalid) = CertificateCheck.Check(certificate);
        if (checkedCertificate is null)
        {
            error = invalid ?? "invalid certificate";
            return false;
        }
        if (!TlsVersionRange.TryCreate(checkedCertificate.Resolved.Versions, out var versions, out error))
        {
            return false;
        }
        if (Options.Versions.Intersect(versions).IsEmpty)
        {
            // It could never be served: every handshake for its names would fail.
            error = $"certificate {checkedCertificate.Fingerprint} allows {versions}, the listener only {Options.Versions}";
            return false;
        }
        var context = TlsContextFactory.CreateCertificateContext(Options, Id, checkedCertificate.Resolved, out error);
        if (context is null)
        {
            error = $"certificate {checkedCertificate.Fingerprint}: {error}";
            return false;
        }
        built = new TlsCertificate(checkedCertificate.Fingerprint, checkedCertificate.Resolved.Names, versions, context);
        return true;
    }

    private int IndexOf(string fingerprint)
    {
        for (var i = 0; i < _certificates.Count; i++)
        {
            if (string.Equals(_certificates[i].Fingerprint, fingerprint, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private void Reindex()
    {
        _exact.Clear();
        _wildcard.Clear();
        // Oldest first, so that a newer certificate overwrites the names it shares.
        foreach (var certificate in _certificates)
        {
            foreach (var name in certificate.Names)
            {
                if (name.StartsWith("*.", StringComparison.Ordinal))
                {
                    _wildcard[name[2..]] = certificate;
                }
                else
                {
                    _exact[name] = certificate;
                }
            }
        }
    }

    private void SetAlpn(byte[] wire)
    {
        if (_alpn != null)
        {
            NativeMemory.Free(_alpn);
        }
        // Native, because SSL_select_next_proto may hand OpenSSL a pointer into it.
        _alpn = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, wire.Length));
        wire.CopyTo(new Span<byte>(_alpn, wire.Length));
        _alpnLength = wire.Length;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Registry.TryRemove(Id, out _);
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }
        _certificates.Clear();
        _exact.Clear();
        _wildcard.Clear();
        ListenerContext.Dispose();
        if (_alpn != null)
        {
            NativeMemory.Free(_alpn);
            _alpn = null;
        }
    }
}
