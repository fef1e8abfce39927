using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Validation;

namespace Sozu.Messages.Toml;

/// <summary>A listener read from the file, with the default certificate of an https one.</summary>
internal sealed record ListenerEntry(ListenerConfig Config, CertificateAndKey? DefaultCertificate, bool Implicit)
{
    /// <summary>Where the listener was written (for an implicit one, the frontend that asked for it).</summary>
    public SourceLocation At { get; init; }

    public string KeyPath { get; init; } = "listeners";
}

/// <summary>One [[listeners]] table → a listener config. Listener timeouts default to the global ones.</summary>
internal static class ListenerReader
{
    private static readonly string[] HttpOnlyKeys = ["sticky_name", "request_timeout", "answers", .. AnswerKeys()];
    private static readonly string[] HttpsOnlyKeys = ["tls_versions", "cipher_list", "alpn_protocols", "certificate", "key", "certificate_chain", "hsts"];

    public static ListenerEntry? Read(TomlSection section, GlobalConfig global)
    {
        var protocol = ReadProtocol(section);
        if (protocol is null)
        {
            // Without a protocol, which keys are valid is unknown: one error is enough.
            return null;
        }
        var address = AddressText.Read(section, "address", required: true);
        var publicAddress = AddressText.Read(section, "public_address", required: false);
        var expectProxy = section.Bool("expect_proxy") ?? false;
        if (publicAddress is not null && expectProxy)
        {
            // Sōzu refuses it too: with PROXY protocol the client address comes from the header.
            section.Error("public_address", "cannot be combined with expect_proxy = true");
        }
        var front = section.Int("front_timeout") ?? global.FrontTimeout;
        var back = section.Int("back_timeout") ?? global.BackTimeout;
        var connect = section.Int("connect_timeout") ?? global.ConnectTimeout;

        ListenerEntry? entry = null;
        switch (protocol)
        {
            case ListenerProtocol.Http:
                section.RefuseInapplicable(HttpsOnlyKeys.Where(k => k != "hsts"), "an http listener");
                if (section.Has("hsts"))
                {
                    section.MarkKnown("hsts");
                    section.Error("hsts", "HSTS is only valid on an https listener (RFC 6797 §7.2)");
                }
                var http = new HttpListenerConfig
                {
                    Address = address ?? "",
                    PublicAddress = publicAddress,
                    ExpectProxy = expectProxy,
                    FrontTimeout = front,
                    BackTimeout = back,
                    ConnectTimeout = connect,
                    StickyName = section.NonEmptyString("sticky_name") ?? Defaults.StickyName,
                    RequestTimeout = section.Int("request_timeout") ?? global.RequestTimeout,
                    Answers = ReadAnswers(section),
                };
                entry = new ListenerEntry(http, null, Implicit: false);
                break;
            case ListenerProtocol.Https:
                var versions = ReadTlsVersions(section);
                var https = new HttpsListenerConfig
                {
                    Address = address ?? "",
                    PublicAddress = publicAddress,
                    ExpectProxy = expectProxy,
                    FrontTimeout = front,
                    BackTimeout = back,
                    ConnectTimeout = connect,
                    StickyName = section.NonEmptyString("sticky_name") ?? Defaults.StickyName,
                    RequestTimeout = section.Int("request_timeout") ?? global.RequestTimeout,
                    Answers = ReadAnswers(section),
                    Versions = versions,
                    CipherList = section.StringList("cipher_list", splitOn: ':') ?? ValueList<string>.Empty,
                    AlpnProtocols = ReadAlpn(section),
                    Hsts = HstsReader.Read(section),
                };
                entry = new ListenerEntry(https, FileReferences.ReadCertificateAndKey(section, versions), Implicit: false);
                break;
            case ListenerProtocol.Tcp:
                section.RefuseInapplicable([.. HttpOnlyKeys, .. HttpsOnlyKeys], "a tcp listener");
                entry = new ListenerEntry(new TcpListenerConfig
                {
                    Address = address ?? "",
                    PublicAddress = publicAddress,
                    ExpectProxy = expectProxy,
                    FrontTimeout = front,
                    BackTimeout = back,
                    ConnectTimeout = connect,
                }, null, Implicit: false);
                break;
        }
        section.ReportUnknownKeys();
        if (address is null || entry is null)
        {
            return null;
        }
        ValidationReport.Report(section, ConfigValidator.Errors(entry.Config));
        return entry with { At = section.Location, KeyPath = section.Path };
    }

    /// <summary>The listener Sōzu creates for a frontend whose address no [[listeners]] names.</summary>
    public static ListenerEntry Implicit(string address, ListenerProtocol protocol, GlobalConfig global)
    {
        ListenerConfig config = protocol switch
        {
            ListenerProtocol.Http => new HttpListenerConfig
            {
                Address = address,
                FrontTimeout = global.FrontTimeout,
                BackTimeout = global.BackTimeout,
                ConnectTimeout = global.ConnectTimeout,
                RequestTimeout = global.RequestTimeout,
            },
            ListenerProtocol.Https => new HttpsListenerConfig
            {
                Address = address,
                FrontTimeout = global.FrontTimeout,
                BackTimeout = global.BackTimeout,
                ConnectTimeout = global.ConnectTimeout,
                RequestTimeout = global.RequestTimeout,
            },
            _ => new TcpListenerConfig
            {
                Address = address,
                FrontTimeout = global.FrontTimeout,
                BackTimeout = global.BackTimeout,
                ConnectTimeout = global.ConnectTimeout,
            },
        };
        return new ListenerEntry(config, null, Implicit: true);
    }

    private static ListenerProtocol? ReadProtocol(TomlSection section)
    {
        if (!section.Has("protocol"))
        {
            section.MarkKnown("protocol");
            section.Context.Error(section.Location, section.KeyPath("protocol"), "missing; expected one of http, https, tcp");
            return null;
        }
        return section.Enum("protocol", TomlNames.ListenerProtocols);
    }

    private static IEnumerable<string> AnswerKeys()
    {
        foreach (var code in ConfigKeys.AnswerCodes)
        {
            yield return "answer_" + code;
        }
    }

    /// <summary>answer_NNN keys and the [answers] table ("NNN" = path) both name raw HTTP answer files.</summary>
    private static StringMap ReadAnswers(TomlSection section)
    {
        var answers = new List<KeyValuePair<string, string>>();
        foreach (var code in ConfigKeys.AnswerCodes)
        {
            if (FileReferences.ReadText(section, "answer_" + code) is { } answer)
            {
                answers.Add(new(code, answer));
            }
        }
        if (section.Table("answers") is { } table)
        {
            foreach (var code in table.TakeAllKeys())
            {
                if (!ConfigKeys.AnswerCodes.Contains(code))
                {
                    table.Error(code, $"no custom answer for status {code}; expected one of {string.Join(", ", ConfigKeys.AnswerCodes)}");
                }
                else if (FileReferences.ReadText(table, code) is { } answer)
                {
                    answers.Add(new(code, answer));
                }
            }
        }
        return StringMap.From(answers);
    }

    private static ValueList<TlsVersion> ReadTlsVersions(TomlSection section)
    {
        var names = section.StringList("tls_versions");
        if (names is null)
        {
            return ValueList<TlsVersion>.Empty;
        }
        var versions = new List<TlsVersion>();
        foreach (var name in names)
        {
            if (!TryTlsVersion(name, out var version))
            {
                section.Error("tls_versions", $"unsupported TLS version \"{name}\"; expected TLS_V12 or TLS_V13");
                return ValueList<TlsVersion>.Empty;
            }
            if (!versions.Contains(version))
            {
                versions.Add(version);
            }
        }
        return ValueList<TlsVersion>.From(versions);
    }

    public static bool TryTlsVersion(string name, out TlsVersion version)
    {
        foreach (var pair in TomlNames.TlsVersions)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                version = pair.Value;
                return true;
            }
        }
        version = default;
        return false;
    }

    /// <summary>HTTP/2 is not served here: "h2" is dropped with a warning, so that Sōzu's default list still loads.</summary>
    private static ValueList<string> ReadAlpn(TomlSection section)
    {
        var protocols = section.StringList("alpn_protocols");
        if (protocols is null)
        {
            return ValueList<string>.Empty;
        }
        var kept = new List<string>();
        foreach (var protocol in protocols)
        {
            if (!TomlNames.AlpnProtocols.Contains(protocol))
            {
                section.Error("alpn_protocols", $"unknown protocol \"{protocol}\"; expected http/1.1 or h2");
                return ValueList<string>.Empty;
            }
            if (protocol == "h2")
            {
                section.Warning("alpn_protocols", "h2 is not supported yet and is not advertised");
                continue;
            }
            kept.Add(protocol);
        }
        if (kept.Count == 0)
        {
            section.Error("alpn_protocols", "must include http/1.1 (the only protocol served)");
        }
        return ValueList<string>.From(kept);
    }
}
