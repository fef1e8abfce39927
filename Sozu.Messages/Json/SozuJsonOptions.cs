using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;

namespace Sozu.Messages.Json;

/// <summary>
/// The one <see cref="JsonSerializerOptions"/> of the command socket: the source-generated
/// context plus what attributes would otherwise have to say on the records (which stay free
/// of wire concerns): the "type" of an answer content, the "protocol" of a listener, and
/// computed properties (no setter) kept off the wire.
/// </summary>
public static class SozuJsonOptions
{
    /// <summary>Answer contents by their wire "type": the record name without "Content", in snake_case.</summary>
    internal static readonly Type[] AnswerContentTypes =
    [
        typeof(WorkersContent),
        typeof(ClustersContent),
        typeof(ClustersHashesContent),
        typeof(ListenersContent),
        typeof(FrontendsContent),
        typeof(CertificatesContent),
        typeof(RequestCountsContent),
        typeof(EventContent),
        typeof(MetricsContent),
        typeof(StatusContent),
        typeof(StateFileContent),
    ];

    public static JsonSerializerOptions Options { get; } = Create();

    internal static string ContentTypeName(Type contentType)
    {
        var name = contentType.Name;
        const string suffix = "Content";
        if (name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name = name[..^suffix.Length];
        }
        return JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(SozuJsonContext.Default.Options)
        {
            TypeInfoResolver = new InitOnlyDefaultsResolver(SozuJsonContext.Default.WithAddedModifier(Shape)),
            // Lines are read by operators through socat: keep PEM and non-ASCII names legible.
            // Control characters and quotes are still escaped, so a value never breaks a line.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }

    private static void Shape(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            // Backend.EffectiveStickyId, ListenerConfig.Protocol: derived, not state.
            if (typeInfo.Properties[i].Set is null && typeInfo.Properties[i].AssociatedParameter is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
        if (typeInfo.Type == typeof(AnswerContent))
        {
            var polymorphism = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "type" };
            foreach (var type in AnswerContentTypes)
            {
                polymorphism.DerivedTypes.Add(new JsonDerivedType(type, ContentTypeName(type)));
            }
            typeInfo.PolymorphismOptions = polymorphism;
        }
        else if (typeInfo.Type == typeof(ListenerConfig))
        {
            typeInfo.PolymorphismOptions = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = "protocol",
                DerivedTypes =
                {
                    new JsonDerivedType(typeof(HttpListenerConfig), "http"),
                    new JsonDerivedType(typeof(HttpsListenerConfig), "https"),
                    new JsonDerivedType(typeof(TcpListenerConfig), "tcp"),
                },
            };
        }
    }
}
