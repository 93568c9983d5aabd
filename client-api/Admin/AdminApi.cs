using System.Text.RegularExpressions;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Admin;

/// <summary>
/// The operator's endpoints: onboard a creditor (its first API key shown once), and add, list and revoke a creditor's
/// keys, so that a creditor can rotate its key with two live at once.
/// </summary>
public static partial class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").AddEndpointFilter<OperatorKeyFilter>().RequireRateLimiting(FailedAuthenticationLimit.Name).WithTags("Admin")
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        admin.MapPost("/creditors", OnboardCreditor).WithName("onboardCreditor").WithSummary("Onboard a creditor; its first API key is shown once")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        admin.MapPost("/creditors/{id}/keys", CreateKey).WithName("createKey").WithSummary("Add an API key to a creditor; it is shown once")
            .ProducesProblems(StatusCodes.Status404NotFound);
        admin.MapGet("/creditors/{id}/keys", ListKeys).WithName("listKeys").WithSummary("A creditor's keys, revoked ones included; never a key")
            .ProducesProblems(StatusCodes.Status404NotFound);
        admin.MapDelete("/creditors/{id}/keys/{keyId}", RevokeKey).WithName("revokeKey").WithSummary("Revoke a creditor's key")
            .ProducesProblems(StatusCodes.Status404NotFound);
        admin.MapGet("/creditors/{id}", GetCreditor).WithName("getCreditor").WithSummary("A creditor: its name and commission rates")
            .ProducesProblems(StatusCodes.Status404NotFound);
        admin.MapPut("/creditors/{id}", UpdateCreditor).WithName("updateCreditor")
            .WithSummary("Rename a creditor or set its commission rate (percent), in force for payments recorded from now on")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType);
        admin.MapPost("/creditors/{id}/users", InviteUser).WithName("inviteUser")
            .WithSummary("Invite a user to the creditor's console: a one-time invitation link, shown once")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        admin.MapGet("/creditors/{id}/users", ListUsers).WithName("listUsers").WithSummary("A creditor's console users")
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>A creditor to onboard; without an id, one is made from the name. <c>commissionRate</c>: the agency's percent of the sums recovered (0 when left out).</summary>
    public sealed record CreditorRequest(string? Id, string? Name, decimal? CommissionRate = null);

    /// <summary>The new creditor and its API key, shown this once and stored only hashed; <c>apiKeyId</c> names the key to revoke it.</summary>
    public sealed record CreditorCreated(string Id, string Name, string ApiKey, string ApiKeyId, decimal CommissionRate = 0m);

    public static async Task<Results<Created<CreditorCreated>, ProblemHttpResult>> OnboardCreditor(CreditorRequest request, IGrainFactory grains, ApiKeyDirectory directory)
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

        if (CommissionError(request.CommissionRate) is { } commission)
        {
            errors.Add(commission);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var key = ApiKeys.NewKey();
        if (await ApiKeys.OnboardAsync(grains, id, name!, key) is not { } added)
        {
            return Problems.Conflict($"a creditor '{id}' already exists");
        }

        if (request.CommissionRate is { } rate and not 0m)
        {
            await grains.Reference<ICreditorGrain>(id).UpdateProfile(null, rate);
        }

        await directory.RefreshAsync();
        return TypedResults.Created($"/api/v1/admin/creditors/{id}", new CreditorCreated(id, name!, key, added.Id, request.CommissionRate ?? 0m));
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
