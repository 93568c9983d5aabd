using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Hosting;

/// <summary>
/// What is wrong with a typed JSON body, by field: the path System.Text.Json stopped at, and what that field takes,
/// read from the endpoint's declared body type. <c>{"amount": "abc"}</c> on a payment is answered
/// <c>{field: "amount", reason: "expected a number"}</c>, not "Failed to read parameter".
/// </summary>
public static partial class JsonBodyErrors
{
    /// <summary>The field error of a body the serializer refused, or null when the error names no field.</summary>
    public static FieldError? Describe(JsonException error, Type? bodyType)
    {
        if (DuplicatePattern().Match(error.Message) is { Success: true } duplicate)
        {
            return new FieldError(Field(error.Path) ?? duplicate.Groups[1].Value, CaseJson.DuplicateKey);
        }

        if (Field(error.Path) is not { } field)
        {
            return null;
        }

        var expected = bodyType is null ? null : TypeAt(bodyType, error.Path!) is { } type ? Expected(type) : null;
        return new FieldError(field, expected is null ? "not a value this field takes" : "expected " + expected);
    }

    /// <summary><c>$.steps[0].channels</c> as the API names fields: <c>steps[0].channels</c>; null for the whole body.</summary>
    private static string? Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>The declared type of the member a JSON path reaches, walking properties by their camelCase names and into lists.</summary>
    private static Type? TypeAt(Type root, string path)
    {
        var type = root;
        foreach (Match step in StepPattern().Matches(path))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (step.Groups["index"].Success)
            {
                type = ElementType(type);
            }
            else
            {
                var name = step.Groups["name"].Value;
                type = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == name || p.Name == name)?.PropertyType;
            }

            if (type is null)
            {
                return null;
            }
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[^1]
        : null;

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of: " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
        }

        return type switch
        {
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(DateOnly) => "a date, YYYY-MM-DD",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time, ISO 8601",
            _ when type == typeof(TimeSpan) => "a duration, [d.]hh:mm:ss",
            _ when ElementType(type) is not null => "an array",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"Duplicate property '([^']*)'")]
    private static partial Regex DuplicatePattern();

    [GeneratedRegex(@"\.(?<name>[^.\[\]]+)|\[(?<index>\d+)\]|\['(?<name>[^']+)'\]")]
    private static partial Regex StepPattern();
}
