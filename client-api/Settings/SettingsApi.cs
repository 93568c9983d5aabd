using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Settings;

/// <summary>
/// <c>GET/PUT /api/v1/settings</c>: the creditor's address (printed on letters, as CPCE R124-4 asks) and what business
/// debtors may be charged: the 40 EUR recovery indemnity and late-payment interest (consumers never are); plan rules;
/// the unit cost of a message per channel, which the variants report counts; and the <c>litigation</c> section: the
/// legal routes the creditor uses, their cost, delay and expected recovery rate.
/// </summary>
public static class SettingsApi
{
    public static RouteGroupBuilder MapSettingsApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings");
        settings.MapGet("/", GetSettings).WithName("getSettings").WithSummary("The creditor's address, business-debtor charges and plan rules");
        settings.MapPut("/", PutSettings).WithName("setSettings").WithSummary("Replace the creditor's settings")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    public static async Task<Ok<CreditorSettings>> GetSettings(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Reference<ICreditorGrain>(CreditorKeyFilter.CreditorOf(context)).GetSettings());

    public static async Task<Results<Ok<CreditorSettings>, ProblemHttpResult>> PutSettings(HttpContext context, IGrainFactory grains, CreditorSettings settings)
    {
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var normalised = Normalised(settings);
        await grains.Reference<ICreditorGrain>(CreditorKeyFilter.CreditorOf(context)).SetSettings(normalised);
        return TypedResults.Ok(normalised);
    }

    /// <summary>The settings as they are kept: the country code upper-cased.</summary>
    public static CreditorSettings Normalised(CreditorSettings settings) =>
        settings with { Address = settings.Address is { } address ? address with { Country = address.Country.ToUpperInvariant() } : null };

    /// <summary>Every field of the settings out of bounds, named as in the JSON (the console's settings page checks here too).</summary>
    public static List<FieldError> Validate(CreditorSettings settings)
    {
        var errors = new List<FieldError>();
        if (settings.Address is { } a)
        {
            if (string.IsNullOrWhiteSpace(a.Line1) || a.Line1.Length > CaseValidation.MaxTextLength)
            {
                errors.Add(new("address.line1", "required, at most 200 characters"));
            }

            if (string.IsNullOrWhiteSpace(a.PostalCode) || a.PostalCode.Length > 16)
            {
                errors.Add(new("address.postalCode", "required, at most 16 characters"));
            }

            if (string.IsNullOrWhiteSpace(a.City) || a.City.Length > CaseValidation.MaxTextLength)
            {
                errors.Add(new("address.city", "required, at most 200 characters"));
            }

            if (a.Country is not { Length: 2 })
            {
                errors.Add(new("address.country", "an ISO 3166 two-letter code such as FR"));
            }
        }

        if (settings.LateInterestRate is < 0m or > 100m)
        {
            errors.Add(new("lateInterestRate", "an annual rate in percent, between 0 and 100"));
        }

        if (settings.Plans is { } plans)
        {
            if (plans.MinInstalment is < 1m or > 10_000m)
            {
                errors.Add(new("plans.minInstalment", "between 1 and 10000"));
            }

            if (plans.MaxInstalments is < 2 or > 24)
            {
                errors.Add(new("plans.maxInstalments", "between 2 and 24"));
            }
        }

        if (settings.Litigation is { } litigation)
        {
            CheckRoute(litigation.SmallClaims, "litigation.smallClaims", errors);
            CheckRoute(litigation.PaymentOrder, "litigation.paymentOrder", errors);
        }

        if (settings.Costs is { } costs)
        {
            foreach (var (field, cost) in new[] { ("email", costs.Email), ("sms", costs.Sms), ("letter", costs.Letter), ("registeredLetter", costs.RegisteredLetter) })
            {
                if (cost is < 0m or > 1_000m)
                {
                    errors.Add(new($"costs.{field}", "the cost of one message in the creditor's currency, between 0 and 1000"));
                }
            }
        }

        return errors;
    }

    private static void CheckRoute(RouteTerms? route, string field, List<FieldError> errors)
    {
        if (route is null)
        {
            return;
        }

        if (route.Cost is < 0m or > 100_000m)
        {
            errors.Add(new(field + ".cost", "between 0 and 100000"));
        }

        if (route.ExpectedDelayDays is < 0 or > 3650)
        {
            errors.Add(new(field + ".expectedDelayDays", "between 0 and 3650 days"));
        }

        if (route.RecoveryRate is < 0m or > 1m)
        {
            errors.Add(new(field + ".recoveryRate", "a share between 0 and 1 (0.45 for 45 %)"));
        }
    }
}
