using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Messages.Toml;
using Xunit;

namespace Sozu.Messages.Tests.Toml;

public sealed class ConfigFileLoaderTests
{
    private static string Fixture(string name) => Path.Combine(TempConfigFolder.FixturesDirectory, name);

    private static LoadedConfig Loaded(LoadResult result)
    {
        if (result is LoadFailed failed)
        {
            Assert.Fail("expected the file to load, got:\n" + string.Join('\n', failed.Errors));
        }
        return Assert.IsType<LoadedConfig>(result);
    }

    private static ConfigError SingleError(LoadResult result)
    {
        var failed = Assert.IsType<LoadFailed>(result);
        return Assert.Single(failed.Errors);
    }

    [Fact]
    public void Load_SozuSample_GivesListenersClustersBackendsCertificatesFrontendsActivationsInOrder()
    {
        var config = Loaded(ConfigFileLoader.Load(Fixture("sozu-sample.toml")));
        var pem = File.ReadAllText(Fixture("assets/certificate.pem"));

        Assert.Collection(config.Requests,
            r => Assert.Equal("0.0.0.0:8080", Assert.IsType<AddHttpListener>(r).Listener.Address),
            r =>
            {
                var https = Assert.IsType<AddHttpsListener>(r).Listener;
                Assert.Equal("0.0.0.0:8443", https.Address);
                Assert.Equal([TlsVersion.TlsV12, TlsVersion.TlsV13], https.Versions);
                Assert.Equal(9, https.CipherList.Count);
                Assert.Equal("TLS13_AES_256_GCM_SHA384", https.CipherList[0]);
            },
            r => Assert.Equal("0.0.0.0:8081", Assert.IsType<AddTcpListener>(r).Listener.Address),
            r =>
            {
                var cluster = Assert.IsType<AddCluster>(r).Cluster;
                Assert.Equal("MyCluster", cluster.ClusterId);
                Assert.Equal(LoadBalancingAlgorithm.RoundRobin, cluster.LoadBalancing);
                Assert.Null(cluster.ProxyProtocol);
            },
            r => Assert.Equal("TcpTest", Assert.IsType<AddCluster>(r).Cluster.ClusterId),
            r => Assert.Equal(
                new Backend { ClusterId = "MyCluster", BackendId = "the-backend-to-my-app", Address = "127.0.0.1:1026" },
                Assert.IsType<AddBackend>(r).Backend),
            r => Assert.Equal(
                new Backend { ClusterId = "TcpTest", BackendId = "TcpTest-0", Address = "127.0.0.1:4000", Weight = 100 },
                Assert.IsType<AddBackend>(r).Backend),
            r => Assert.Equal(
                new Backend { ClusterId = "TcpTest", BackendId = "TcpTest-1", Address = "127.0.0.1:4001", Weight = 50 },
                Assert.IsType<AddBackend>(r).Backend),
            r =>
            {
                var add = Assert.IsType<AddCertificate>(r);
                Assert.Equal("0.0.0.0:8443", add.Address);
                Assert.Equal(pem, add.Certificate.Certificate);
                Assert.Single(add.Certificate.CertificateChain);
                Assert.Contains("PRIVATE KEY", add.Certificate.Key, StringComparison.Ordinal);
            },
            r =>
            {
                var front = Assert.IsType<AddHttpFrontend>(r).Frontend;
                Assert.Equal("MyCluster", front.ClusterId);
                Assert.Equal("0.0.0.0:8080", front.Address);
                Assert.Equal("lolcatho.st", front.Hostname);
                Assert.Equal(PathRule.Prefix("/api"), front.Path);
                Assert.Equal("value", front.Tags["key"]);
            },
            r =>
            {
                var front = Assert.IsType<AddHttpsFrontend>(r).Frontend;
                Assert.Equal("0.0.0.0:8443", front.Address);
                Assert.Equal(PathRule.Root, front.Path);
            },
            r =>
            {
                var front = Assert.IsType<AddTcpFrontend>(r).Frontend;
                Assert.Equal("TcpTest", front.ClusterId);
                Assert.Equal("John", front.Tags["owner"]);
            },
            r => Assert.Equal(new ActivateListener("0.0.0.0:8080", ListenerProtocol.Http), r),
            r => Assert.Equal(new ActivateListener("0.0.0.0:8443", ListenerProtocol.Https), r),
            r => Assert.Equal(new ActivateListener("0.0.0.0:8081", ListenerProtocol.Tcp), r));
    }

    [Fact]
    public void Load_SozuSample_ReadsGlobalsAndResolvesTheSocketNextToTheFile()
    {
        var config = Loaded(ConfigFileLoader.Load(Fixture("sozu-sample.toml")));

        Assert.Equal(2, config.Global.WorkerCount);
        Assert.Equal(500, config.Global.MaxConnections);
        Assert.Equal(16393, config.Global.BufferSize);
        Assert.Equal(163840, config.Global.MaxCommandLineBytes);
        Assert.Equal("info", config.Global.LogLevel);
        Assert.Equal(Path.Combine(TempConfigFolder.FixturesDirectory, "sozu.sock"), config.Global.CommandSocket);
    }

    [Fact]
    public void Load_SozuSample_WarnsAboutIgnoredKeysAndTheImplicitListenerAtTheirLines()
    {
        var config = Loaded(ConfigFileLoader.Load(Fixture("sozu-sample.toml")));
        var lines = File.ReadAllLines(Fixture("sozu-sample.toml"));

        var ignored = Assert.Single(config.Warnings, w => w.Key == "worker_timeout");
        Assert.StartsWith("worker_timeout = 10", lines[ignored.Line - 1], StringComparison.Ordinal);
        var implicitListener = Assert.Single(config.Warnings, w => w.Key == "clusters.TcpTest.frontends[0].address");
        Assert.Contains("0.0.0.0:8081", lines[implicitListener.Line - 1], StringComparison.Ordinal);
        Assert.Contains("tcp listener", implicitListener.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BenchHarnessConfigWithTls_PutsTheFrontendCertificateOnTheHttpsListener()
    {
        var config = Loaded(ConfigFileLoader.Load(Fixture("bench-candidate.toml")));

        Assert.Equal(1, config.Global.WorkerCount);
        Assert.Equal(20000, config.Global.MaxBuffers);
        Assert.Equal("warn", config.Global.LogLevel);
        Assert.Equal("127.0.0.1:18443", Assert.Single(config.Requests.OfType<AddCertificate>()).Address);
        Assert.Equal("*", Assert.Single(config.Requests.OfType<AddHttpFrontend>()).Frontend.Hostname);
        Assert.Equal("127.0.0.1:18443", Assert.Single(config.Requests.OfType<AddHttpsFrontend>()).Frontend.Address);
        Assert.Equal("origin", Assert.Single(config.Requests.OfType<AddBackend>()).Backend.BackendId);
        Assert.Equal(2, config.Requests.OfType<ActivateListener>().Count());
        Assert.DoesNotContain(config.Warnings, w => w.Message.Contains("no certificate", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BenchHarnessConfigWithoutTls_LoadsWithItsBlankLines()
    {
        // sozu-candidate.sh leaves empty lines where the TLS parts would be.
        const string toml = """
            command_socket = "/tmp/sozu-bench.x/sozu.sock"
            log_level = "warn"
            log_target = "stdout"
            worker_count = 1
            max_connections = 20000
            max_buffers = 20000
            buffer_size = 16393

            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:18080"


            [clusters.bench]
            protocol = "http"
            load_balancing = "ROUND_ROBIN"
            frontends = [
                { address = "127.0.0.1:18080", hostname = "*" },

            ]
            backends = [ { address = "127.0.0.1:19001", backend_id = "origin" } ]
            """;
        var config = Loaded(ConfigFileLoader.Parse(toml, "/tmp/bench/config.toml"));

        Assert.Equal(5, config.Requests.Count);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_AnyLoadedFile_OrdersRequestsByKind()
    {
        static int Rank(ConfigRequest r) => r switch
        {
            AddHttpListener or AddHttpsListener or AddTcpListener => 0,
            AddCluster => 1,
            AddBackend => 2,
            AddCertificate => 3,
            AddHttpFrontend or AddHttpsFrontend or AddTcpFrontend => 4,
            ActivateListener => 5,
            _ => throw new InvalidOperationException(r.GetType().Name),
        };
        foreach (var name in new[] { "sozu-sample.toml", "bench-candidate.toml" })
        {
            var ranks = Loaded(ConfigFileLoader.Load(Fixture(name))).Requests.Select(Rank).ToList();
            Assert.Equal(ranks.Order().ToList(), ranks);
        }
    }

    [Fact]
    public void Parse_ListenerWithoutTimeouts_TakesTheGlobalOnes()
    {
        const string toml = """
            front_timeout = 7
            back_timeout = 8
            connect_timeout = 2
            request_timeout = 4
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            [[listeners]]
            protocol = "tcp"
            address = "127.0.0.1:8081"
            back_timeout = 99
            """;
        var config = Loaded(ConfigFileLoader.Parse(toml, "/tmp/x/config.toml"));

        var http = Assert.IsType<AddHttpListener>(config.Requests[0]).Listener;
        Assert.Equal((7, 8, 2, 4), (http.FrontTimeout, http.BackTimeout, http.ConnectTimeout, http.RequestTimeout));
        var tcp = Assert.IsType<AddTcpListener>(config.Requests[1]).Listener;
        Assert.Equal((7, 99, 2), (tcp.FrontTimeout, tcp.BackTimeout, tcp.ConnectTimeout));
    }

    [Fact]
    public void Parse_SoftStopTimeout_IsReadInSeconds_DefaultsTo30_AndANegativeOneIsRefused()
    {
        Assert.Equal(12, Loaded(ConfigFileLoader.Parse("soft_stop_timeout = 12", "/tmp/x/config.toml")).Global.SoftStopTimeout);
        Assert.Equal(30, Loaded(ConfigFileLoader.Parse("worker_count = 1", "/tmp/x/config.toml")).Global.SoftStopTimeout);

        var error = SingleError(ConfigFileLoader.Parse("soft_stop_timeout = -1", "/tmp/x/config.toml"));
        Assert.Equal("soft_stop_timeout", error.Key);
    }

    [Fact]
    public void Parse_ActivateListenersFalse_EmitsNoActivation()
    {
        const string toml = """
            activate_listeners = false
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            """;
        var config = Loaded(ConfigFileLoader.Parse(toml, "/tmp/x/config.toml"));

        Assert.IsType<AddHttpListener>(Assert.Single(config.Requests));
    }

    [Fact]
    public void Load_RelativePaths_ResolveAgainstTheFileFolderNotTheWorkingDirectory()
    {
        using var folder = new TempConfigFolder();
        var path = folder.Write("""
            command_socket = "run/sozu.sock"
            saved_state = "state.json"
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            answer_404 = "assets/404.http"
            answer_503 = "./assets/../assets/503.http"
            """);

        var config = Loaded(ConfigFileLoader.Load(path));

        Assert.Equal(Path.Combine(folder.Root, "run", "sozu.sock"), config.Global.CommandSocket);
        Assert.Equal(Path.Combine(folder.Root, "state.json"), config.Global.SavedState);
        var listener = Assert.IsType<AddHttpListener>(config.Requests[0]).Listener;
        Assert.Equal(File.ReadAllText(Path.Combine(folder.Root, "assets", "404.http")), listener.Answers["404"]);
        Assert.StartsWith("HTTP/1.1 503", listener.Answers["503"], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SendProxyOnAnHttpCluster_SendsTheHeader_WithoutAWarning()
    {
        using var folder = new TempConfigFolder();
        var path = folder.Write("""
            [[listeners]]
            protocol = "http"
            address = "127.0.0.1:8080"
            expect_proxy = true

            [clusters.web]
            protocol = "http"
            send_proxy = true
            frontends = [ { address = "127.0.0.1:8080", hostname = "*" } ]
            backends = [ { address = "127.0.0.1:9000" } ]
            """);

        var config = Loaded(ConfigFileLoader.Load(path));

        Assert.Equal(ProxyProtocolConfig.SendHeader, config.Requests.OfType<AddCluster>().Single().Cluster.ProxyProtocol);
        Assert.True(config.Requests.OfType<AddHttpListener>().Single().Listener.ExpectProxy);
        Assert.DoesNotContain(config.Warnings, w => w.Key.Contains("proxy", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ExpectProxyOnAnHttpCluster_IsRefused_ForTheListenerSaysIt()
    {
        using var folder = new TempConfigFolder();
        var path = folder.Write("""
            [clusters.web]
            protocol = "http"
            expect_proxy = true
            frontends = [ { address = "127.0.0.1:8080", hostname = "*" } ]
            backends = [ { address = "127.0.0.1:9000" } ]
            """);

        var error = SingleError(ConfigFileLoader.Load(path));

        Assert.Equal("clusters.web.expect_proxy", error.Key);
        Assert.Contains("listener", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClusterSettings_MapToTheClusterRecord()
    {
        using var folder = new TempConfigFolder();
        var path = folder.Write("""
            [[listeners]]
            protocol = "tcp"
            address = "127.0.0.1:9000"
            expect_proxy = true

            [clusters.db]
            protocol = "tcp"
            load_balancing = "power_of_two"
            load_metric = "connection_time"
            send_proxy = true
            max_connections_per_ip = 12
            frontends = [ { address = "127.0.0.1:9000" } ]
            backends = [ { address = "[::1]:5432", backup = true, sticky_id = "s1", weight = 0 } ]

            [clusters.web]
            protocol = "http"
            load_balancing = "Least_Loaded"
            sticky_session = true
            https_redirect = true
            answer_503 = "assets/503.http"
            frontends = [ { address = "127.0.0.1:8080", hostname = "*.example.com", path = "^/v[0-9]+/", path_type = "regex", method = "GET", position = "PRE" } ]
            [clusters.web.health_check]
            uri = "/health"
            interval = 3
            """);

        var config = Loaded(ConfigFileLoader.Load(path));
        var clusters = config.Requests.OfType<AddCluster>().Select(r => r.Cluster).ToList();

        Assert.Equal(LoadBalancingAlgorithm.PowerOfTwo, clusters[0].LoadBalancing);
        Assert.Equal(LoadMetric.ConnectionTime, clusters[0].LoadMetric);
        Assert.Equal(ProxyProtocolConfig.RelayHeader, clusters[0].ProxyProtocol);
        Assert.Equal(12, clusters[0].MaxConnectionsPerIp);
        Assert.Equal(
            new Backend { ClusterId = "db", BackendId = "db-0", Address = "[::1]:5432", Weight = 0, StickyId = "s1", Backup = true },
            config.Requests.OfType<AddBackend>().Single().Backend);
        Assert.Equal(LoadBalancingAlgorithm.LeastLoaded, clusters[1].LoadBalancing);
        Assert.True(clusters[1].StickySession);
        Assert.True(clusters[1].HttpsRedirect);
        Assert.StartsWith("HTTP/1.1 503", clusters[1].Answer503, StringComparison.Ordinal);
        Assert.Equal(new HealthCheckConfig { Uri = "/health", IntervalSeconds = 3 }, clusters[1].HealthCheck);
        var front = config.Requests.OfType<AddHttpFrontend>().Single().Frontend;
        Assert.Equal(PathRule.Regex("^/v[0-9]+/"), front.Path);
        Assert.Equal(("GET", RulePosition.Pre), (front.Method, front.Position));
    }

    [Fact]
    public void Load_MissingFile_IsOneErrorWithoutLine()
    {
        var error = SingleError(ConfigFileLoader.Load("/nonexistent/sozu/config.toml"));

        Assert.Equal(0, error.Line);
        Assert.Equal("/nonexistent/sozu/config.toml: configuration file not found", error.ToString());
    }
}
