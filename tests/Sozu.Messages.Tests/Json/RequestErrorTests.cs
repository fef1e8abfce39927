using System.Text;
using Sozu.Messages.Json;
using Xunit;

namespace Sozu.Messages.Tests.Json;

/// <summary>Each kind of bad line gets an error that names the field and what was expected, and no request.</summary>
public class RequestErrorTests
{
    private static string Fails(string line)
    {
        var parsed = CommandJson.TryParseRequest(Encoding.UTF8.GetBytes(line), out var envelope, out var error);
        Assert.False(parsed);
        Assert.Null(envelope);
        Assert.NotNull(error);
        return error;
    }

    [Fact]
    public void NotJson_GivesTheBytePosition()
    {
        var error = Fails("""{"id":"1","type":"status",}""");

        Assert.StartsWith("not JSON at byte 26", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedLine_IsNotJson()
    {
        Assert.StartsWith("not JSON at byte", Fails("""{"id":"1","type":"add_backend","data":{"cluster_id":"a"""), StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyLine_SaysSo()
    {
        Assert.Equal("empty line: expected a JSON object", Fails("   "));
    }

    [Fact]
    public void NotAnObject_SaysWhatWasExpected()
    {
        Assert.StartsWith("expected a JSON object, got StartArray", Fails("""[{"id":"1"}]"""), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoObjectsOnOneLine_AreRefused()
    {
        Assert.Equal("not JSON at byte 30: '{' is invalid after a single JSON value. Expected end of data.", Fails("""{"id":"1","type":"soft_stop"} {"id":"2","type":"hard_stop"}"""));
    }

    [Fact]
    public void MissingId_SaysIdIsRequired()
    {
        Assert.Equal("\"id\" is required", Fails("""{"type":"status"}"""));
    }

    [Fact]
    public void NumericId_SaysAStringIsExpected()
    {
        Assert.Equal("id: expected a string, got number", Fails("""{"id":1,"type":"status"}"""));
    }

    [Fact]
    public void MissingType_SaysTypeIsRequired()
    {
        Assert.Equal("\"type\" is required", Fails("""{"id":"1"}"""));
    }

    [Fact]
    public void UnknownType_SuggestsTheCloseName_AndKeepsTheId()
    {
        var parsed = CommandJson.TryParseRequest("""{"id":"abc","type":"add_bakend","data":{}}"""u8, out var envelope, out var error, out var id);

        Assert.False(parsed);
        Assert.Null(envelope);
        Assert.Equal("abc", id);
        Assert.Equal("unknown type \"add_bakend\" (did you mean add_backend?)", error);
    }

    [Fact]
    public void UnknownType_FarFromAnyName_ListsTheKnownTypes()
    {
        var error = Fails("""{"id":"1","type":"make_coffee"}""");

        Assert.StartsWith("unknown type \"make_coffee\"; known types: ", error, StringComparison.Ordinal);
        Assert.Contains("add_backend", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEnvelopeField_IsNamed()
    {
        Assert.StartsWith("datta: unknown field", Fails("""{"id":"1","type":"status","datta":{}}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredField_NamesIt()
    {
        var error = Fails("""{"id":"2","type":"add_backend","data":{"cluster_id":"app","backend_id":"app-0"}}""");

        Assert.Equal("add_backend: data.address is required", error);
    }

    [Fact]
    public void MissingData_ForARequestWithFields_NamesTheFirstRequiredField()
    {
        Assert.Equal("remove_cluster: data.cluster_id is required", Fails("""{"id":"2","type":"remove_cluster"}"""));
    }

    [Fact]
    public void MissingPositionalField_NamesIt()
    {
        Assert.Equal("remove_backend: data.address is required", Fails("""{"id":"2","type":"remove_backend","data":{"cluster_id":"app","backend_id":"b"}}"""));
    }

    [Fact]
    public void IllTypedField_NamesItAndBothKinds()
    {
        var error = Fails("""{"id":"2","type":"add_backend","data":{"cluster_id":"app","backend_id":"app-0","address":"127.0.0.1:9001","weight":"100"}}""");

        Assert.Equal("add_backend: data.weight: expected a number (32-bit integer), got string", error);
    }

    [Fact]
    public void FractionalNumber_ForAnInteger_IsRefused()
    {
        var error = Fails("""{"id":"2","type":"upgrade_worker","data":{"worker_id":1.5}}""");

        Assert.Equal("upgrade_worker: data.worker_id: expected a number (32-bit integer), got number 1.5", error);
    }

    [Fact]
    public void NullForANonNullableField_IsRefused()
    {
        Assert.Equal("add_backend: data.address: expected a string, got null", Fails("""{"id":"2","type":"add_backend","data":{"cluster_id":"app","backend_id":"b","address":null}}"""));
    }

    [Fact]
    public void BadEnumValue_ListsTheAcceptedOnes()
    {
        var error = Fails("""{"id":"1","type":"add_cluster","data":{"cluster_id":"app","load_balancing":"ROUND_ROBIN"}}""");

        Assert.Equal("add_cluster: data.load_balancing: expected one of \"round_robin\", \"random\", \"least_loaded\", \"power_of_two\", got \"ROUND_ROBIN\"", error);
    }

    [Fact]
    public void BadTlsVersion_ListsTheWireNames()
    {
        var error = Fails("""{"id":"1","type":"add_certificate","data":{"address":"a","certificate":"c","key":"k","versions":["TLS_V11"]}}""");

        Assert.Equal("add_certificate: data.versions[0]: expected one of \"TLS_V12\", \"TLS_V13\", got \"TLS_V11\"", error);
    }

    [Fact]
    public void EnumAsNumber_IsRefused()
    {
        var error = Fails("""{"id":"1","type":"remove_listener","data":{"address":"a","proxy":0}}""");

        Assert.Equal("remove_listener: data.proxy: expected one of \"http\", \"https\", \"tcp\", got number 0", error);
    }

    [Fact]
    public void NestedField_IsNamedWithItsPath()
    {
        var error = Fails("""{"id":"3","type":"add_http_frontend","data":{"cluster_id":"app","address":"a","hostname":"h","path":{"kind":"suffix","value":"/"}}}""");

        Assert.Equal("add_http_frontend: data.path.kind: expected one of \"prefix\", \"equals\", \"regex\", got \"suffix\"", error);
    }

    [Fact]
    public void UnknownField_IsNamed_WithTheCloseName()
    {
        var error = Fails("""{"id":"2","type":"add_backend","data":{"cluster_id":"app","backend_id":"app-0","address":"a","wieght":100}}""");

        Assert.StartsWith("add_backend: data.wieght: unknown field (did you mean weight?); expected one of cluster_id, backend_id, address, weight, sticky_id, backup", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldsOnANoFieldRequest_AreUnknown()
    {
        Assert.Equal("status: data.verbose: unknown field; this request has no fields", Fails("""{"id":"2","type":"status","data":{"verbose":true}}"""));
    }

    [Fact]
    public void ComputedProperty_IsNotAWireField()
    {
        var error = Fails("""{"id":"2","type":"add_backend","data":{"cluster_id":"app","backend_id":"b","address":"a","effective_sticky_id":"x"}}""");

        Assert.StartsWith("add_backend: data.effective_sticky_id: unknown field", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateField_IsRefused()
    {
        Assert.Equal("remove_cluster: data.cluster_id: appears twice", Fails("""{"id":"2","type":"remove_cluster","data":{"cluster_id":"a","cluster_id":"b"}}"""));
        Assert.Equal("id: appears twice", Fails("""{"id":"2","id":"3","type":"status"}"""));
    }

    [Fact]
    public void DataNotAnObject_IsRefused()
    {
        Assert.Equal("set_logging: data: expected an object, got array", Fails("""{"id":"2","type":"set_logging","data":["debug"]}"""));
    }

    [Fact]
    public void TagValueNotAString_IsNamed()
    {
        var error = Fails("""{"id":"2","type":"add_tcp_frontend","data":{"cluster_id":"c","address":"a","tags":{"owner":1}}}""");

        Assert.Equal("add_tcp_frontend: data.tags.owner: expected a string, got number 1", error);
    }

    [Fact]
    public void NullInsideAList_IsRefused()
    {
        var error = Fails("""{"id":"2","type":"query_metrics","data":{"cluster_ids":["a",null]}}""");

        Assert.Equal("query_metrics: data.cluster_ids[1]: expected a string, got null", error);
    }

    [Fact]
    public void InvalidUtf8_GivesTheBytePosition()
    {
        byte[] line = [.. """{"id":"1","type":"set_logging","data":{"level":"de"""u8, 0xC3, 0x28, .. "\"}}"u8];

        var parsed = CommandJson.TryParseRequest(line, out var envelope, out var error);

        Assert.False(parsed);
        Assert.Null(envelope);
        Assert.Equal("not UTF-8 at byte 50", error);
    }

    [Theory]
    [InlineData("""{"id":"\ud800","type":"status"}""", "id")]
    [InlineData("""{"id":"1","type":"set_logging","data":{"level":"\udc00x"}}""", "data.level")]
    [InlineData("""{"id":"1","type":"set_logging","data":{"\ud800":"x"}}""", "data: a field name")]
    [InlineData("""{"id":"1","type":"add_tcp_frontend","data":{"cluster_id":"c","address":"a","tags":{"t":"\ud800"}}}""", "data.tags.t")]
    public void LoneSurrogateEscape_IsRefused_NamingWhere(string line, string where)
    {
        Assert.Equal(where + ": invalid \\u escape (a lone UTF-16 surrogate)", Fails(line));
    }

    [Fact]
    public void IllTypedType_BeforeTheId_StillGivesTheIdBack()
    {
        var parsed = CommandJson.TryParseRequest("""{"type":5,"id":"x"}"""u8, out var envelope, out var error, out var id);

        Assert.False(parsed);
        Assert.Null(envelope);
        Assert.Equal("x", id);
        Assert.Equal("type: expected a string, got number", error);
    }
}
