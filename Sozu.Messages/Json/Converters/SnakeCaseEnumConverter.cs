using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sozu.Messages.Json.Converters;

/// <summary>
/// Enums travel as snake_case strings ("round_robin"); a [JsonStringEnumMemberName] on a
/// member ("TLS_V12", "equals") wins over the policy. Numbers are refused: an operator who
/// writes 2 for a load-balancing algorithm has made a mistake, not a choice.
/// </summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
