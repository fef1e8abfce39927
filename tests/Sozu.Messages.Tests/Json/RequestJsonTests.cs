using System.Text;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;
using Xunit;

namespace Sozu.Messages.Tests.Json;

public class RequestJsonTests
{
    private static readonly string[] SpecRequestNames =
    [
        "add_cluster", "remove_cluster", "add_http_frontend", "remove_http_frontend",
        "add_https_frontend", "remove_https_frontend", "add_tcp_frontend", "remove_tcp_frontend",
        "add_backend", "remove_backend", "add_certificate", "replace_certificate", "remove_certificate",
        "add_http_listener", "add_https_listener", "add_tcp_listener", "remove_listener",
        "activate_listener", "deactivate_listener", "update_http_listener", "update_https_listener",
        "update_tcp_listener", "save_state", "load_state", "reload_configuration", "status",
        "list_workers", "list_listeners", "list_frontends", "query_cluster_by_id",
        "query_clusters_by_domain", "query_clusters_hashes", "query_metrics", "query_certificates",
        "subscribe_events", "upgrade_worker", "upgrade_main", "soft_stop", "hard_stop", "set_logging",
        "count_requests",
    ];

    public static TheoryData<string> AllRequestTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in JsonSamples.ConcreteSubclassesOf<Request>())
        {
            data.Add(type.FullName!);
        }
        return data;
    }

    [Fact]
    public void Registry_NamesEveryRequestOfSpecSection4_AndNothingElse()
    {
        Assert.Equal(SpecRequestNames.Order(StringComparer.Ordinal), CommandJson.RequestTypeNames.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllRequestTypes))]
    public void EveryRequestType_HasAWireNameAndASample(string typeName)
    {
        var type = typeof(Request).Assembly.GetType(typeName)!;
        Assert.NotNull(CommandJson.RequestTypeName(type));
        Assert.True(JsonSamples.Requests.ContainsKey(type), $"no sample for {type.Name} in {nameof(JsonSamples)}");
    }

    [Theory]
    [MemberData(nameof(AllRequestTypes))]
    public void SerializeRequest_ThenParse_GivesAnEqualRequest(string typeName)
    {
        var request = JsonSamples.Requests[typeof(Request).Assembly.GetType(typeName)!];
        var line = CommandJson.SerializeRequest(new RequestEnvelope("id-1", request));

        var parsed = CommandJson.TryParseRequest(line, out var envelope, out var error);

        Assert.True(parsed, error + " in " + Encoding.UTF8.GetString(line));
        Assert.Equal(new RequestEnvelope("id-1", request), envelope);
    }

    [Fact]
    public void SerializeRequest_OmitsNullFields_AndUsesSozuNames()
    {
        var request = new AddBackend(JsonSamples.Backend with { StickyId = null });

        var line = Encoding.UTF8.GetString(CommandJson.SerializeRequest(new RequestEnvelope("7", request)));

        Assert.Equal(
            """{"id":"7","type":"add_backend","data":{"cluster_id":"app","backend_id":"app-0","address":"127.0.0.1:9001","weight":7,"backup":true}}""",
            line);
    }

    [Fact]
    public void SerializeRequest_NoFieldRequest_WritesEmptyData()
    {
        var line = Encoding.UTF8.GetString(CommandJson.SerializeRequest(new RequestEnvelope("1", new Status())));

        Assert.Equal("""{"id":"1","type":"status","data":{}}""", line);
    }

    [Fact]
    public void SerializeRequest_TlsVersionsAndPathKinds_UseTheirWireNames()
    {
        var line = Encoding.UTF8.GetString(CommandJson.SerializeRequest(new RequestEnvelope("1", JsonSamples.Requests[typeof(AddHttpsFrontend)])));
        var cert = Encoding.UTF8.GetString(CommandJson.SerializeRequest(new RequestEnvelope("2", JsonSamples.Requests[typeof(AddCertificate)])));
        var frontend = Encoding.UTF8.GetString(CommandJson.SerializeRequest(new RequestEnvelope("3", JsonSamples.Requests[typeof(AddHttpFrontend)])));

        Assert.Contains("\"path\":{\"kind\":\"regex\",\"value\":\"^/v[0-9]+/\"}", line, StringComparison.Ordinal);
        Assert.Contains("\"versions\":[\"TLS_V12\",\"TLS_V13\"]", cert, StringComparison.Ordinal);
        Assert.Contains("\"path\":{\"kind\":\"equals\",\"value\":\"/api\"}", frontend, StringComparison.Ordinal);
        Assert.Contains("\"tags\":{\"env\":\"prod\",\"owner\":\"team-a\"}", frontend, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializeRequest_Listener_WritesAnswersAsAnObject_AndNoProtocolField()
    {
        var line = Encoding.UTF8.GetString(CommandJson.SerializeRequest(new RequestEnvelope("1", JsonSamples.Requests[typeof(AddHttpListener)])));

        Assert.Contains("\"answers\":{\"404\":\"HTTP/1.1 404 Not Found\\r\\n\\r\\n\"}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializeRequest_AddCertificate_IsFlattened()
    {
        var line = Encoding.UTF8.GetString(CommandJson.SerializeRequest(new RequestEnvelope("1", JsonSamples.Requests[typeof(AddCertificate)])));

        Assert.StartsWith("""{"id":"1","type":"add_certificate","data":{"address":"127.0.0.1:8443","certificate":"-----BEGIN CERTIFICATE-----\n""", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializeRequest_LineHoldsNoRawNewline()
    {
        var line = CommandJson.SerializeRequest(new RequestEnvelope("a\nb", JsonSamples.Requests[typeof(AddCertificate)]));

        Assert.DoesNotContain((byte)'\n', line);
    }
}
