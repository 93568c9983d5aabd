using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recouvrement.Api.Hosting;

/// <summary>
/// Enum values as the API writes them, snake_case (<c>formal_notice</c>), read in any letter case and by their C# names
/// too: a client generated with System.Text.Json writes <c>Formal_notice</c> or <c>FormalNotice</c> and means the same.
/// Numbers are refused, as is any name the enum does not have.
/// </summary>
public sealed class SnakeCaseEnums : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

    private sealed class Names<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly FrozenDictionary<T, string> Written =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        private static readonly FrozenDictionary<string, T> ByName =
            Written.Select(pair => (Name: pair.Value, Value: pair.Key))
                .Concat(Written.Keys.Select(value => (Name: value.ToString(), Value: value)))
                .DistinctBy(pair => pair.Name, StringComparer.OrdinalIgnoreCase)
                .ToFrozenDictionary(pair => pair.Name, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

        private static readonly FrozenDictionary<T, JsonEncodedText> Encoded = Written.ToFrozenDictionary(pair => pair.Key, pair => JsonEncodedText.Encode(pair.Value));

        private static readonly string Expected = "expected one of: " + string.Join(", ", Enum.GetValues<T>().Select(v => Written[v]));

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } name
                && ByName.TryGetValue(name, out var value))
            {
                return value;
            }

            throw new JsonException(Expected);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Encoded.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(T).Name} has no value {value}"));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Read(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WritePropertyName(Written[value]);
    }
}
