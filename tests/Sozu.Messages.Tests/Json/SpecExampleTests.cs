using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;
using Xunit;

namespace Sozu.Messages.Tests.Json;

/// <summary>The example lines of SPEC §4, verbatim, parse to the records they describe.</summary>
public class SpecExampleTests
{
    private static RequestEnvelope Parse(string line)
    {
        Assert.True(CommandJson.TryParseRequest(Encoding.UTF8.GetBytes(line), out var envelope, out var error), error);
        return envelope!;
    }

    [Fact]
    public void AddCluster_Example_Parses()
    {
        var envelope = Parse("""{"id":"1","type":"add_cluster","data":{"cluster_id":"app","load_balancing":"round_robin","sticky_session":false,"https_redirect":false}}""");

        Assert.Equal(new RequestEnvelope("1", new AddCluster(new Cluster { ClusterId = "app", LoadBalancing = LoadBalancingAlgorithm.RoundRobin })), envelope);
    }

    [Fact]
    public void AddBackend_Example_Parses()
    {
        var envelope = Parse("""{"id":"2","type":"add_backend","data":{"cluster_id":"app","backend_id":"app-0","address":"127.0.0.1:9001","weight":100}}""");

        var expected = new AddBackend(new Backend { ClusterId = "app", BackendId = "app-0", Address = "127.0.0.1:9001", Weight = 100 });
        Assert.Equal(new RequestEnvelope("2", expected), envelope);
        Assert.Equal("app-0", ((AddBackend)envelope.Request).Backend.EffectiveStickyId);
    }

    [Fact]
    public void AddHttpFrontend_Example_Parses()
    {
        var envelope = Parse("""{"id":"3","type":"add_http_frontend","data":{"cluster_id":"app","address":"127.0.0.1:8080","hostname":"app.example.com","path":{"kind":"prefix","value":"/"}}}""");

        var expected = new AddHttpFrontend(new HttpFrontend { ClusterId = "app", Address = "127.0.0.1:8080", Hostname = "app.example.com", Path = PathRule.Prefix("/") });
        Assert.Equal(new RequestEnvelope("3", expected), envelope);
    }

    [Fact]
    public void AddCertificate_Example_Parses()
    {
        var envelope = Parse("""{"id":"4","type":"add_certificate","data":{"address":"127.0.0.1:8443","certificate":"-----BEGIN CERTIFICATE-----...","certificate_chain":[],"key":"-----BEGIN PRIVATE KEY-----...","names":[]}}""");

        var expected = new AddCertificate("127.0.0.1:8443", new CertificateAndKey { Certificate = "-----BEGIN CERTIFICATE-----...", Key = "-----BEGIN PRIVATE KEY-----..." });
        Assert.Equal(new RequestEnvelope("4", expected), envelope);
    }

    [Fact]
    public void RemoveListener_WithProxyName_Parses()
    {
        var envelope = Parse("""{"id":"5","type":"remove_listener","data":{"address":"127.0.0.1:8080","proxy":"https"}}""");

        Assert.Equal(new RemoveListener("127.0.0.1:8080", ListenerProtocol.Https), envelope.Request);
    }

    [Fact]
    public void NoFieldRequest_WithoutData_Parses()
    {
        Assert.Equal(new ListWorkers(), Parse("""{"id":"6","type":"list_workers"}""").Request);
        Assert.Equal(new SoftStop(), Parse("""{"type":"soft_stop","data":{},"id":"7"}""").Request);
    }

    [Fact]
    public void AddHttpListener_AnswersObject_Parses()
    {
        var envelope = Parse("""{"id":"8","type":"add_http_listener","data":{"address":"127.0.0.1:8080","answers":{"404":"HTTP/1.1 404 Not Found\r\n\r\n"}}}""");

        var listener = ((AddHttpListener)envelope.Request).Listener;
        Assert.Equal("HTTP/1.1 404 Not Found\r\n\r\n", listener.Answers["404"]);
        Assert.Equal(Defaults.StickyName, listener.StickyName);
    }

    [Fact]
    public void DenyFrontend_NullClusterId_Parses()
    {
        var envelope = Parse("""{"id":"9","type":"add_http_frontend","data":{"cluster_id":null,"address":"127.0.0.1:8080","hostname":"*","path":{"kind":"equals","value":"/admin"}}}""");

        var frontend = ((AddHttpFrontend)envelope.Request).Frontend;
        Assert.Null(frontend.ClusterId);
        Assert.Equal(PathRule.Equal("/admin"), frontend.Path);
    }

    [Fact]
    public void OmittedFields_TakeTheRecordDefaults_NotZero()
    {
        var backend = ((AddBackend)Parse("""{"id":"1","type":"add_backend","data":{"cluster_id":"app","backend_id":"b","address":"a"}}""").Request).Backend;
        var frontend = ((AddHttpsFrontend)Parse("""{"id":"2","type":"add_https_frontend","data":{"address":"a","hostname":"h","hsts":{}}}""").Request).Frontend;
        var listener = ((AddHttpsListener)Parse("""{"id":"3","type":"add_https_listener","data":{"address":"a"}}""").Request).Listener;

        Assert.Equal(Defaults.BackendWeight, backend.Weight);
        Assert.Equal(PathRule.Root, frontend.Path);
        Assert.Equal(RulePosition.Tree, frontend.Position);
        Assert.Equal(Collections.StringMap.Empty, frontend.Tags);
        Assert.Equal(new HstsConfig(), frontend.Hsts);
        Assert.True(frontend.Hsts!.Enabled);
        Assert.Equal(new HttpsListenerConfig { Address = "a" }, listener);
        Assert.Equal(Defaults.FrontTimeoutSeconds, listener.FrontTimeout);
    }
}
