using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recouvrement.Events;

/// <summary>What an event says, as the small JSON object the feed and the webhooks carry: camelCase, enums snake_case, money with two decimals.</summary>
public static class EventData
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new TwoDecimals() },
    };

    public const string Empty = "{}";

    public static string Of(object? facts) => facts is null ? Empty : JsonSerializer.Serialize(facts, Options);
}
