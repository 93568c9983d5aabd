using System.Text.RegularExpressions;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Admin;

/// <summary><c>POST /api/v1/admin/creditors</c>: the operator onboards a creditor and receives its API key once.</summary>
public static partial class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/admin").AddEndpointFilter<OperatorKeyFilter>().WithTags("Admin")
            .MapPost("/creditors", OnboardCreditor);
        return api;
    }

    /// <summary>A creditor to onboard; without an id, one is made from the name.</summary>
    public sealed record CreditorRequest(string? Id, string? Name);

    /// <summary>The new creditor and its API key, shown this once and stored only hashed.</summary>
    public sealed record CreditorCreated(string Id, string Name, string ApiKey);

    public static async Task<Results<Created<CreditorCreated>, ProblemHttpResult>> OnboardCreditor(CreditorRequest request, IGrainFactory grains)
    {
        var errors = new List<FieldError>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > CaseValidation.MaxTextLength)
        {
            errors.Add(new("name", $"required, at most {CaseValidation.MaxTextLength} characters"));
        }

        var id = request.Id?.Trim() ?? Slug(name ?? string.Empty);
        if (!IdPattern().IsMatch(id))
        {
            errors.Add(new("id", "2 to 40 characters: lower-case letters, digits and '-', starting with a letter or digit"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var key = ApiKeys.NewKey();
        if (!await ApiKeys.OnboardAsync(grains, id, name!, key))
        {
            return Problems.Conflict($"a creditor '{id}' already exists");
        }

        return TypedResults.Created($"/api/v1/admin/creditors/{id}", new CreditorCreated(id, name!, key));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,39}$")]
    private static partial Regex IdPattern();

    private static string Slug(string name)
    {
        var ascii = new string([.. name.Normalize(System.Text.NormalizationForm.FormD).ToLowerInvariant()
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : c == ' ' || c == '-' ? '-' : '\0').Where(c => c != '\0')]);
        var slug = string.Join('-', ascii.Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length > 40 ? slug[..40].TrimEnd('-') : slug;
    }
}
