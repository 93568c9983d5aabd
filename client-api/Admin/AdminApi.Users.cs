using Microsoft.Extensions.Options;
using Recouvrement.Api.Console;
using Recouvrement.Payments;
using Recouvrement.Users;

namespace Recouvrement.Api.Admin;

/// <summary>A creditor's console users, as the operator invites them, and the creditor's name and commission rate.</summary>
public static partial class AdminApi
{
    /// <summary>Someone to invite to a creditor's console: their e-mail and role (<c>admin</c>, <c>agent</c>, <c>viewer</c>).</summary>
    public sealed record UserInvitationRequest(string? Email, UserRole? Role);

    /// <summary>The invited user and their one-time invitation link (shown this once; it leads to the page where they set a password).</summary>
    public sealed record UserInvited(string Id, string Email, UserRole Role, UserStatus Status, string InvitationUrl, DateTimeOffset ExpiresAt);

    /// <summary>A creditor's users, oldest first; never a password, a hash or a link.</summary>
    public sealed record UserList(IReadOnlyList<ConsoleUser> Items);

    /// <summary>
    /// <c>POST /api/v1/admin/creditors/{id}/users</c>: invites a user; inviting an invited address again replaces the role
    /// and the link (the earlier link stops working). An address signs in to one creditor only.
    /// </summary>
    public static async Task<Results<Created<UserInvited>, ProblemHttpResult>> InviteUser(
        string id, UserInvitationRequest request, IGrainFactory grains, TimeProvider time, IOptions<ConsoleOptions> options, IOptions<PaymentLinkOptions> links)
    {
        if (await grains.Reference<ICreditorGrain>(id).GetProfile() is null)
        {
            return Problems.NotFound($"no creditor '{id}'");
        }

        var (invited, problem) = await InviteAsync(grains, id, request.Email, request.Role, time.GetUtcNow(), options.Value, links.Value.BaseUrl);
        return invited is not null
            ? TypedResults.Created($"/api/v1/admin/creditors/{id}/users/{invited.Id}", invited)
            : problem!;
    }

    /// <summary>Validates and invites; the operator's API and the creditor admins' console both come here.</summary>
    public static async Task<(UserInvited? Invited, ProblemHttpResult? Problem)> InviteAsync(
        IGrainFactory grains, string creditorId, string? email, UserRole? role, DateTimeOffset now, ConsoleOptions options, string publicAddress)
    {
        var errors = new List<Cases.FieldError>();
        var address = email?.Trim().ToLowerInvariant();
        if (address is not { Length: > 0 and <= 254 } || !System.Net.Mail.MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            errors.Add(new("email", "an e-mail address, at most 254 characters"));
        }

        if (role is null || !Enum.IsDefined(role.Value))
        {
            errors.Add(new("role", "admin, agent or viewer"));
        }

        if (errors.Count > 0)
        {
            return (null, Problems.Invalid(errors));
        }

        var token = SignInPages.NewInvitationToken(creditorId);
        var expires = now + options.InvitationLifetime;
        var result = await grains.Reference<ICreditorUsersGrain>(creditorId).Invite(address!, role!.Value, Console.ConsoleSessions.Hash(token), now, expires);
        return result.Outcome switch
        {
            InvitationOutcome.Invited => (new UserInvited(result.User!.Id, result.User.Email, result.User.Role, result.User.Status,
                $"{publicAddress.TrimEnd('/')}/console/invitation/{token}", expires), null),
            InvitationOutcome.AlreadyActive => (null, Problems.Conflict("this address is an active user of this creditor already")),
            _ => (null, Problems.Conflict("this address signs in to another creditor: one address signs in to one creditor")),
        };
    }

    /// <summary><c>GET /api/v1/admin/creditors/{id}/users</c>.</summary>
    public static async Task<Results<Ok<UserList>, ProblemHttpResult>> ListUsers(string id, IGrainFactory grains) =>
        await grains.Reference<ICreditorGrain>(id).GetProfile() is null
            ? Problems.NotFound($"no creditor '{id}'")
            : TypedResults.Ok(new UserList(await grains.Reference<ICreditorUsersGrain>(id).List()));

    /// <summary>What the operator changes about a creditor: its name, its commission rate (percent of the sums recovered, from now on).</summary>
    public sealed record CreditorUpdate(string? Name, decimal? CommissionRate);

    /// <summary>A creditor as the operator sees it: its commission rate now, and every rate with the instant it took effect.</summary>
    public sealed record CreditorView(string Id, string Name, DateTimeOffset OnboardedAt, decimal CommissionRate, IReadOnlyList<CommissionRate> CommissionHistory)
    {
        public static CreditorView Of(CreditorProfile profile) =>
            new(profile.Id, profile.Name, profile.OnboardedAt, profile.CommissionRate, profile.Commission ?? []);
    }

    /// <summary>
    /// <c>PUT /api/v1/admin/creditors/{id}</c>: renames the creditor and sets its commission rate; a new rate applies to
    /// payments recorded from now on, so a month's statement never changes once the month is over.
    /// </summary>
    public static async Task<Results<Ok<CreditorView>, ProblemHttpResult>> UpdateCreditor(string id, CreditorUpdate update, IGrainFactory grains)
    {
        var errors = new List<Cases.FieldError>();
        var name = update.Name?.Trim();
        if (update.Name is not null && (name!.Length == 0 || name.Length > Cases.CaseValidation.MaxTextLength))
        {
            errors.Add(new("name", $"1 to {Cases.CaseValidation.MaxTextLength} characters"));
        }

        if (CommissionError(update.CommissionRate) is { } commission)
        {
            errors.Add(commission);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return await grains.Reference<ICreditorGrain>(id).UpdateProfile(name, update.CommissionRate) is { } profile
            ? TypedResults.Ok(CreditorView.Of(profile))
            : Problems.NotFound($"no creditor '{id}'");
    }

    /// <summary><c>GET /api/v1/admin/creditors/{id}</c>.</summary>
    public static async Task<Results<Ok<CreditorView>, ProblemHttpResult>> GetCreditor(string id, IGrainFactory grains) =>
        await grains.Reference<ICreditorGrain>(id).GetProfile() is { } profile ? TypedResults.Ok(CreditorView.Of(profile)) : Problems.NotFound($"no creditor '{id}'");

    /// <summary>A commission rate is a percentage from 0 to 100 with at most 2 decimals.</summary>
    public static Cases.FieldError? CommissionError(decimal? rate) =>
        rate is { } r && (r < 0m || r > CommissionRates.MaxPercent || decimal.Round(r, 2) != r)
            ? new Cases.FieldError("commissionRate", "a percentage from 0 to 100, at most 2 decimals (e.g. 12.5)")
            : null;
}
