using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sozu.Messages.Requests;

namespace Sozu.Messages.Json;

/// <summary>
/// How one request type travels: its SPEC §4 name and the shape of its "data", which is
/// either the request record itself or the configuration object it carries (Sōzu's shape).
/// </summary>
internal sealed class RequestWireType
{
    private readonly Func<object, Request> _fromData;
    private readonly Func<Request, object> _toData;

    private RequestWireType(string name, Type requestType, JsonTypeInfo dataTypeInfo, Func<object, Request> fromData, Func<Request, object> toData)
    {
        Name = name;
        RequestType = requestType;
        DataTypeInfo = dataTypeInfo;
        _fromData = fromData;
        _toData = toData;
    }

    public string Name { get; }

    public Type RequestType { get; }

    public JsonTypeInfo DataTypeInfo { get; }

    public static RequestWireType Create<TRequest, TData>(string name, Func<TData, TRequest> fromData, Func<TRequest, TData> toData)
        where TRequest : Request
        where TData : notnull =>
        new(
            name,
            typeof(TRequest),
            SozuJsonOptions.Options.GetTypeInfo(typeof(TData)),
            data => fromData((TData)data),
            request => toData((TRequest)request));

    /// <summary>A request whose record is its data, field for field.</summary>
    public static RequestWireType Self<TRequest>(string name)
        where TRequest : Request =>
        Create<TRequest, TRequest>(name, static r => r, static r => r);

    /// <summary>Throws <see cref="JsonException"/> on a shape the validator let through.</summary>
    public Request Read(JsonElement data) =>
        _fromData(data.Deserialize(DataTypeInfo) ?? throw new JsonException("data: expected an object, got null"));

    public void WriteData(Utf8JsonWriter writer, Request request) =>
        JsonSerializer.Serialize(writer, _toData(request), DataTypeInfo);
}
