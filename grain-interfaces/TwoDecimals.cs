using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recouvrement;

/// <summary>
/// Decimals written with at least two decimals (<c>42.50</c>, not <c>42.5</c>), whatever form the input had: every
/// amount the API writes is money. A value with more decimals (a rate) keeps them all.
/// </summary>
public sealed class TwoDecimals : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        // Adding 0.00 raises a decimal's scale to at least 2 without changing its value; the writer keeps the scale.
        writer.WriteNumberValue(value + 0.00m);
}
