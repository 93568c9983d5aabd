using System.Text.Json;

namespace Recouvrement.Api.Cases;

/// <summary>Reads a case from JSON by hand, so that a wrong type is reported by field instead of failing the batch.</summary>
public static class CaseJson
{
    public static CaseInput Read(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("each case must be a JSON object");
        }

        var debtor = item.TryGetProperty("debtor", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var address = debtor.ValueKind == JsonValueKind.Object && debtor.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        return new CaseInput(
            Text(item, "reference"), Text(item, "amount"), Text(item, "currency"), Text(item, "issuedOn"), Text(item, "dueOn"),
            Text(item, "label"), Text(debtor, "reference"), Text(debtor, "kind"), Text(debtor, "name"), Text(debtor, "email"),
            Text(debtor, "phone"), Text(address, "line1"), Text(address, "postalCode"), Text(address, "city"), Text(address, "country"),
            Text(debtor, "language"));
    }

    /// <summary>A property as text: strings as they are, numbers by their raw digits, anything else as its JSON.</summary>
    private static string? Text(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => value.GetString(),
            _ => value.GetRawText(),
        };
    }
}
