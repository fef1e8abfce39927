using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.State;

namespace Sozu.Messages.Tests.State;

/// <summary>Two states to diff, and how they came to be (shown when a property fails).</summary>
public sealed record StatePair(ConfigState From, ConfigState To, string Origin)
{
    public override string ToString() => $"{Origin}: {From} -> {To}";
}

/// <summary>
/// Builds valid states the way an operator would: a random script of requests drawn from
/// small pools (so they collide: duplicates, removals of what exists, protocol changes at one
/// address), each applied if the state accepts it. Every state reached is therefore valid.
/// </summary>
public static class StateGenerators
{
    private static readonly string[] Addresses = ["127.0.0.1:8080", "127.0.0.1:8443", "[::1]:8443", "127.0.0.1:9000", "0.0.0.0:9001"];
    private static readonly string[] ClusterIds = ["a", "b", "c", "d"];
    private static readonly string[] Hosts = ["a.example.com", "*.example.com", "*", "B.example.com", "b.example.com"];
    private static readonly PathRule[] Paths = [PathRule.Root, PathRule.Prefix("/api"), PathRule.Equal("/login"), PathRule.Regex("/v[0-9]+/.*")];
    private static readonly string?[] Methods = [null, null, "GET", "POST"];
    private static readonly string[] BackendAddresses = ["127.0.0.1:7001", "127.0.0.1:7002", "[::1]:7003"];

    public static Arbitrary<StatePair> Pairs() => Arb.From(PairGen);

    public static Arbitrary<ConfigState> States() => Arb.From(Script.Select(ops => Build(ConfigState.Empty, ops)));

    private static Gen<int[]> Script =>
        Gen.Choose(5, 120).SelectMany(steps => Gen.Choose(0, 1 << 20).ArrayOf(steps * 4));

    private static Gen<StatePair> PairGen =>
        from first in Script
        from second in Script
        from shape in Gen.Choose(0, 3)
        select Pair(first, second, shape);

    private static StatePair Pair(int[] first, int[] second, int shape)
    {
        var a = Build(ConfigState.Empty, first);
        return shape switch
        {
            0 => new StatePair(a, Build(ConfigState.Empty, second), "independent"),
            1 => new StatePair(a, Build(a, second), "evolved"),
            2 => new StatePair(a, Reconfigured(a, second), "listeners reconfigured under their routes"),
            _ => new StatePair(Build(a, second), a, "rolled back"),
        };
    }

    /// <summary>
    /// The same routes on listeners whose settings changed, some of them back to unset: the
    /// case where Diff must patch a listener, or rebuild it around frontends that stay.
    /// </summary>
    private static ConfigState Reconfigured(ConfigState state, int[] bits)
    {
        var n = 0;
        int Next() => bits.Length == 0 ? n++ : bits[n++ % bits.Length];
        var requests = state.ToRequests().Select(request => request switch
        {
            AddHttpListener r => new AddHttpListener(r.Listener with
            {
                PublicAddress = (Next() & 1) == 0 ? null : "10.0.0.9:80",
                FrontTimeout = 1 + Next() % 3,
            }),
            AddHttpsListener r => new AddHttpsListener(r.Listener with
            {
                Hsts = (Next() & 1) == 0 ? null : new HstsConfig { MaxAge = 5 },
                PublicAddress = (Next() & 1) == 0 ? r.Listener.PublicAddress : null,
            }),
            AddTcpListener r => new AddTcpListener(r.Listener with { PublicAddress = (Next() & 1) == 0 ? null : "10.0.0.9:22" }),
            _ => request,
        });
        var result = ConfigState.Empty.ApplyAll(requests);
        return result.IsOk ? result.State : throw new InvalidOperationException(result.Error);
    }

    public static ConfigState Build(ConfigState start, int[] ops)
    {
        var state = start;
        for (var i = 0; i + 3 < ops.Length; i += 4)
        {
            var request = Request(state, ops[i], ops[i + 1], ops[i + 2], ops[i + 3]);
            if (request is null)
            {
                continue;
            }
            var result = state.Apply(request);
            if (result.IsOk)
            {
                state = result.State;
            }
        }
        return state;
    }

    private static T Pick<T>(IReadOnlyList<T> items, int n) => items[n % items.Count];

    private static T? PickExisting<T>(IEnumerable<T> items, int count, int n) where T : class =>
        count == 0 ? null : items.ElementAt(n % count);

    private static ConfigRequest? Request(ConfigState s, int kind, int a, int b, int c)
    {
        var address = Pick(Addresses, a);
        switch (kind % 26)
        {
            case 0 or 1:
                return new AddHttpListener(new HttpListenerConfig
                {
                    Address = address,
                    PublicAddress = (b & 1) == 0 ? null : "10.0.0.1:80",
                    FrontTimeout = 1 + (b >> 1) % 3,
                    Answers = (b & 8) == 0 ? StringMap.Empty : StringMap.From([new("404", "HTTP/1.1 404 Not Found\r\n\r\n")]),
                });
            case 2 or 3:
                return new AddHttpsListener(new HttpsListenerConfig
                {
                    Address = address,
                    PublicAddress = (b & 1) == 0 ? null : "10.0.0.2:443",
                    BackTimeout = 1 + (b >> 1) % 3,
                    Hsts = (b & 8) == 0 ? null : new HstsConfig { MaxAge = c % 1000 },
                    AlpnProtocols = (b & 16) == 0 ? ValueList<string>.Empty : ValueList<string>.Of("h2", "http/1.1"),
                });
            case 4:
                return new AddTcpListener(new TcpListenerConfig { Address = address, ExpectProxy = (b & 1) == 1, ConnectTimeout = 1 + b % 4 });
            case 5:
                return PickExisting(s.Listeners.Values, s.ListenerCount, b) is { } removed
                    ? new RemoveListener(removed.Listener.Address, removed.Listener.Protocol) : null;
            case 6 or 7:
                return PickExisting(s.Listeners.Values, s.ListenerCount, b) is { } toActivate
                    ? new ActivateListener(toActivate.Listener.Address, toActivate.Listener.Protocol) : null;
            case 8:
                return PickExisting(s.Listeners.Values, s.ListenerCount, b) is { } toDeactivate
                    ? new DeactivateListener(toDeactivate.Listener.Address, toDeactivate.Listener.Protocol) : null;
            case 9:
                return PickExisting(s.Listeners.Values, s.ListenerCount, b) is { } toUpdate
                    ? Update(toUpdate.Listener, c) : null;
            case 10 or 11:
                return new AddCluster(new Cluster
                {
                    ClusterId = Pick(ClusterIds, a),
                    LoadBalancing = (LoadBalancingAlgorithm)(b % 4),
                    StickySession = (c & 1) == 1,
                    HealthCheck = (c & 2) == 0 ? null : new HealthCheckConfig { IntervalSeconds = 1 + c % 20 },
                });
            case 12:
                return PickExisting(s.Clusters.Keys, s.ClusterCount, b) is { } clusterId ? new RemoveCluster(clusterId) : null;
            case 13 or 14 or 15:
                return new AddBackend(new Backend
                {
                    ClusterId = Pick(ClusterIds, a),
                    BackendId = "be-" + (b % 3),
                    Address = Pick(BackendAddresses, c),
                    Weight = (c >> 2) % 3 * 50,
                    Backup = (c & 32) != 0,
                    StickyId = (c & 64) == 0 ? null : "sticky" + (b % 2),
                });
            case 16:
                return PickExisting(s.Backends.Values.SelectMany(x => x.Values), s.BackendCount, b) is { } backend
                    ? new RemoveBackend(backend.ClusterId, backend.BackendId, backend.Address) : null;
            case 17 or 18:
                return new AddHttpFrontend(Frontend(s, AddressFor(s, ListenerProtocol.Http, a), b, c, https: false));
            case 19 or 20:
                return new AddHttpsFrontend(Frontend(s, AddressFor(s, ListenerProtocol.Https, a), b, c, https: true));
            case 21:
                return (b & 1) == 0
                    ? PickExisting(s.HttpFrontends.Values, s.HttpFrontends.Count, c) is { } http ? new RemoveHttpFrontend(http) : null
                    : PickExisting(s.HttpsFrontends.Values, s.HttpsFrontends.Count, c) is { } https ? new RemoveHttpsFrontend(https) : null;
            case 22:
                return (b & 1) == 0
                    ? new AddTcpFrontend(new TcpFrontend { Address = AddressFor(s, ListenerProtocol.Tcp, a), ClusterId = ClusterFor(s, c), Tags = Tags(c) })
                    : PickExisting(s.TcpFrontends.Values, s.TcpFrontends.Count, c) is { } tcp ? new RemoveTcpFrontend(tcp) : null;
            case 23:
                return new AddCertificate(AddressFor(s, ListenerProtocol.Https, a), Certificate(b));
            case 24:
                return CertificateChange(s, b, c);
            default:
                return new AddBackend(new Backend { ClusterId = ClusterFor(s, a), BackendId = "be-" + (b % 3), Address = Pick(BackendAddresses, c) });
        }
    }

    private static ConfigRequest Update(ListenerConfig listener, int c) => listener switch
    {
        HttpListenerConfig http => new UpdateHttpListener
        {
            Address = http.Address,
            StickyName = (c & 1) == 0 ? null : "S" + (c % 3),
            RequestTimeout = (c & 2) == 0 ? null : 1 + c % 5,
        },
        HttpsListenerConfig https => new UpdateHttpsListener
        {
            Address = https.Address,
            Versions = (c & 1) == 0 ? null : ValueList<TlsVersion>.Of(TlsVersion.TlsV13),
            Hsts = (c & 2) == 0 ? null : new HstsConfig { Preload = true },
        },
        _ => new UpdateTcpListener { Address = listener.Address, FrontTimeout = 1 + c % 7 },
    };

    /// <summary>Mostly an existing listener of that protocol, so that most frontends are accepted.</summary>
    private static string AddressFor(ConfigState s, ListenerProtocol protocol, int n)
    {
        var matching = s.Listeners.Values.Where(l => l.Listener.Protocol == protocol).ToList();
        return matching.Count == 0 || n % 8 == 0 ? Pick(Addresses, n) : Pick(matching, n >> 3).Listener.Address;
    }

    private static string ClusterFor(ConfigState s, int n) =>
        s.ClusterCount == 0 || n % 8 == 0 ? Pick(ClusterIds, n) : s.Clusters.Keys.ElementAt((n >> 3) % s.ClusterCount);

    private static HttpFrontend Frontend(ConfigState s, string address, int b, int c, bool https) => new()
    {
        Address = address,
        ClusterId = (b & 7) == 7 ? null : ClusterFor(s, b >> 3),
        Hostname = Pick(Hosts, c),
        Path = Pick(Paths, c >> 3),
        Method = Pick(Methods, c >> 5),
        Position = (RulePosition)((c >> 7) % 3),
        Tags = Tags(c >> 9),
        Hsts = https && (c & (1 << 12)) != 0 ? new HstsConfig { IncludeSubdomains = true } : null,
    };

    private static StringMap Tags(int n) => (n & 3) switch
    {
        0 => StringMap.Empty,
        1 => StringMap.From([new("owner", "team-" + (n >> 2) % 2)]),
        _ => StringMap.From([new("owner", "ops"), new("env", "prod")]),
    };

    private static CertificateAndKey Certificate(int b)
    {
        var certificate = Pick(TestCertificates.List, b);
        return (b >> 2) % 3 == 0 ? certificate with { Names = ValueList<string>.Of("names" + (b >> 4) % 2 + ".example.com") } : certificate;
    }

    private static ConfigRequest? CertificateChange(ConfigState s, int b, int c)
    {
        var onListeners = s.Certificates.SelectMany(p => p.Value.Keys.Select(f => (Address: p.Key, Fingerprint: f))).ToImmutableArray();
        if (onListeners.IsEmpty)
        {
            return null;
        }
        var (address, fingerprint) = onListeners[b % onListeners.Length];
        return (c & 1) == 0
            ? new RemoveCertificate(address, fingerprint)
            : new ReplaceCertificate(address, fingerprint, Certificate(c >> 1));
    }
}
