using System.Text.Json;

namespace Recouvrement.Api.Cases;

/// <summary>Reads a case from JSON by hand, so that a wrong type is reported by field instead of failing the batch.</summary>
public static class CaseJson
{
    /// <summary>How many field errors one item reports at most: enough to fix it, few enough to keep the answer short.</summary>
    public const int MaxErrors = 20;

    public const string NotAnObject = "each case must be a JSON object";

    public const string DuplicateKey = "this key appears more than once in its object: send it once";

    /// <summary>
    /// The case as text, and what is wrong with the JSON itself: any string or number anywhere in the item longer than
    /// <see cref="InputLimits.MaxFieldBytes"/>, or a string that is not valid Unicode (an escaped lone surrogate).
    /// When there are such errors the item is invalid whatever its fields say.
    /// </summary>
    public static (CaseInput Input, IReadOnlyList<FieldError> Errors) Read(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (new CaseInput(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null), [new FieldError("$", NotAnObject)]);
        }

        var errors = new List<FieldError>();
        Check(item, string.Empty, errors);
        var debtor = Child(item, "debtor");
        var address = Child(debtor, "address");
        var input = new CaseInput(
            Text(item, "reference"), Text(item, "amount"), Text(item, "currency"), Text(item, "issuedOn"), Text(item, "dueOn"),
            Text(item, "label"), Text(debtor, "reference"), Text(debtor, "kind"), Text(debtor, "name"), Text(debtor, "email"),
            Text(debtor, "phone"), Text(address, "line1"), Text(address, "postalCode"), Text(address, "city"), Text(address, "country"),
            Text(debtor, "language"));
        return (input, errors);
    }

    private static JsonElement Child(JsonElement parent, string name) =>
        Property(parent, name) is { ValueKind: JsonValueKind.Object } child ? child : default;

    /// <summary>
    /// A property of an object, or an undefined element. Looking a name up unescapes the names it passes, and throws on
    /// one that is not valid Unicode: <see cref="Check"/> has reported that name, so the item is invalid anyway.
    /// </summary>
    private static JsonElement Property(JsonElement parent, string name)
    {
        try
        {
            return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? value : default;
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    /// <summary>A property as text: strings as they are, numbers by their raw digits, anything else as its JSON.</summary>
    private static string? Text(JsonElement parent, string name)
    {
        var value = Property(parent, name);
        try
        {
            return value.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => value.GetString(),
                _ => value.GetRawText(),
            };
        }
        catch (InvalidOperationException)
        {
            return null; // not valid Unicode: Check has reported it
        }
    }

    /// <summary>Walks the whole item, known fields or not, for values no field may hold.</summary>
    private static void Check(JsonElement element, string path, List<FieldError> errors)
    {
        if (errors.Count >= MaxErrors)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new(Named(path), "a property name is not valid Unicode text"));
                        continue;
                    }

                    if (!seen.Add(name))
                    {
                        // Which of the two values the sender meant cannot be known: neither is taken.
                        errors.Add(new(Join(path, name), DuplicateKey));
                        continue;
                    }

                    if (InputLimits.TooLong(name))
                    {
                        errors.Add(new(Join(path, string.Concat(name.AsSpan(0, 32), "...")), "the property name is " + InputLimits.FieldTooLong));
                        continue;
                    }

                    Check(property.Value, Join(path, name), errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var value in element.EnumerateArray())
                {
                    Check(value, $"{Named(path)}[{index++}]", errors);
                }

                break;
            case JsonValueKind.String:
                try
                {
                    if (InputLimits.TooLong(element.GetString()!))
                    {
                        errors.Add(new(Named(path), InputLimits.FieldTooLong));
                    }
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new(Named(path), "not valid Unicode text (an escaped lone surrogate)"));
                }

                break;
            case JsonValueKind.Number when element.GetRawText().Length > InputLimits.MaxFieldBytes:
                errors.Add(new(Named(path), InputLimits.FieldTooLong));
                break;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Named(string path) => path.Length == 0 ? "$" : path;
}
