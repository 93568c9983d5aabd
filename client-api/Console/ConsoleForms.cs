using System.Globalization;
using System.Text;
using Recouvrement.Api.Cases;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// The console's form fields: a visible label, the value as typed, and the API's reason next to the field it names
/// (<c>aria-invalid</c>, <c>aria-describedby</c>), so that a page refuses what the API refuses and says where.
/// </summary>
public static class ConsoleForms
{
    /// <summary>A labelled input named as the API names the field (<c>address.city</c>), with its errors under it.</summary>
    public static string Field(ConsoleRequest request, string name, string label, string? value, IReadOnlyList<FieldError> errors, string attributes = "")
    {
        var id = Id(name);
        var error = ErrorFor(request, name, errors);
        var invalid = error.Length > 0 ? $" aria-invalid=\"true\" aria-describedby=\"{id}-error\"" : string.Empty;
        return $"<div><label for=\"{id}\">{E(label)}</label><input id=\"{id}\" name=\"{E(name)}\" value=\"{E(value)}\"{invalid} {attributes}>{error}</div>";
    }

    /// <summary>The errors of a field (and of its items, <c>events[2]</c>), as a paragraph the field points to; empty when none.</summary>
    public static string ErrorFor(ConsoleRequest request, string name, IReadOnlyList<FieldError> errors)
    {
        var mine = errors.Where(e => Belongs(e.Field, name)).Select(e => e.Reason).ToList();
        return mine.Count == 0 ? string.Empty
            : $"<p class=\"field-error\" id=\"{Id(name)}-error\">{E(request.T("Refusé : ", "Refused: ") + string.Join(" ; ", mine))}</p>";
    }

    /// <summary>The errors no field of the form shows (<paramref name="shown"/> are the fields it has), as a list with each field named.</summary>
    public static string OtherErrors(ConsoleRequest request, IReadOnlyList<FieldError> errors, params string[] shown)
    {
        var others = errors.Where(e => !shown.Any(name => Belongs(e.Field, name))).ToList();
        if (others.Count == 0)
        {
            return string.Empty;
        }

        var html = new StringBuilder($"<div class=\"status error\" role=\"alert\"><p>{request.T("Refusé :", "Refused:")}</p><ul>");
        foreach (var e in others)
        {
            html.Append($"<li><code>{E(e.Field)}</code> : {E(e.Reason)}</li>");
        }

        return html.Append("</ul></div>").ToString();
    }

    /// <summary>The errors of a refused form, at the top of the page, pointing to the fields below.</summary>
    public static string Summary(ConsoleRequest request, IReadOnlyList<FieldError> errors) =>
        errors.Count == 0 ? string.Empty : Notice(request.T($"{errors.Count} champ(s) à corriger.", $"{errors.Count} field(s) to correct."), error: true);

    /// <summary>
    /// A decimal typed in a form (a comma or a point), null when left empty; a text that is no number adds an error on
    /// <paramref name="field"/> and gives null.
    /// </summary>
    public static decimal? Amount(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new(field, "a number, e.g. 12.5"));
        return null;
    }

    /// <summary>A whole number typed in a form, null when left empty; otherwise as <see cref="Amount"/>.</summary>
    public static int? Whole(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new(field, "a whole number"));
        return null;
    }

    /// <summary>A number as a form shows it back: a point, no thousands separator.</summary>
    public static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>The field errors a problem of the API carries, or its detail on <paramref name="field"/> when it names none.</summary>
    public static List<FieldError> ErrorsOf(ProblemHttpResult problem, string field) =>
        problem.ProblemDetails.Extensions.TryGetValue("errors", out var listed) && listed is IEnumerable<FieldError> named
            ? [.. named]
            : [new(field, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "refused")];

    private static bool Belongs(string field, string name) =>
        field == name || field.StartsWith(name + "[", StringComparison.Ordinal);

    private static string Id(string name) => name.Replace('.', '-').Replace('[', '-').Replace(']', '-');
}
