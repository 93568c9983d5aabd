using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Policy;

/// <summary>
/// <c>PUT /api/v1/policy</c> and <c>GET /api/v1/policy</c>: the creditor's dunning schedule, optionally in weighted
/// variants (champion/challenger); <c>POST /api/v1/policy/promote</c> makes one variant the only one.
/// </summary>
public static class PolicyApi
{
    /// <summary>At most this many variants: enough for a champion and a few challengers, each with debtors enough to tell.</summary>
    public const int MaxVariants = 10;

    /// <summary>What <c>POST /api/v1/policy/promote</c> takes: the name of the variant that becomes the only one.</summary>
    public sealed record PromoteRequest(string? Variant);

    public static RouteGroupBuilder MapPolicyApi(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/policy").WithTags("Policy");
        policy.MapGet("/", GetPolicy).WithName("getPolicy").WithSummary("The creditor's dunning schedule");
        policy.MapPut("/", PutPolicy).WithName("setPolicy").WithSummary("Replace the creditor's dunning schedule")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);
        policy.MapPost("/promote", Promote).WithName("promoteVariant")
            .WithSummary("Make one variant the only one: every case follows it from its next step, new debtors are all given it")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    public static async Task<Ok<DunningPolicy>> GetPolicy(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Reference<ICreditorGrain>(CreditorKeyFilter.CreditorOf(context)).GetPolicy());

    public static async Task<Results<Ok<DunningPolicy>, ProblemHttpResult>> PutPolicy(HttpContext context, IGrainFactory grains, DunningPolicy policy)
    {
        var errors = Validate(policy);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        policy = Normalized(policy);
        await grains.Reference<ICreditorGrain>(CreditorKeyFilter.CreditorOf(context)).SetPolicy(policy);
        return TypedResults.Ok(policy);
    }

    public static async Task<Results<Ok<DunningPolicy>, ProblemHttpResult>> Promote(HttpContext context, IGrainFactory grains, PromoteRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Variant))
        {
            return Problems.Invalid([new("variant", "the name of one of the policy's variants is required")]);
        }

        var promoted = await grains.Reference<ICreditorGrain>(CreditorKeyFilter.CreditorOf(context)).Promote(request.Variant);
        return promoted is null
            ? Problems.Conflict($"the policy has no variant '{request.Variant[..Math.Min(request.Variant.Length, MaxVariantName)]}'")
            : TypedResults.Ok(promoted);
    }

    /// <summary>With variants and no steps of its own, a policy's own schedule (for cases without a variant) is its champion's.</summary>
    public static DunningPolicy Normalized(DunningPolicy policy) =>
        policy is { Steps: null, Champion: { } champion }
            ? policy with { Steps = champion.Steps, EscalationThreshold = champion.EscalationThreshold }
            : policy;

    public const int MaxVariantName = 40;

    /// <summary>
    /// A usable schedule: 1 to 20 steps on increasing days within two years (the consumer prescription),
    /// every contact step with a channel, at most one final decision and only as the last step. With variants, each
    /// is such a schedule, named uniquely, with a weight of zero or more (at least one above zero); the policy's own
    /// steps may then be left out (they are the champion's).
    /// </summary>
    public static List<FieldError> Validate(DunningPolicy? policy)
    {
        var errors = new List<FieldError>();
        if (policy?.Variants is { } variants)
        {
            ValidateVariants(variants, errors);
            if (policy.Steps is null)
            {
                return errors;
            }
        }

        ValidateSchedule(policy?.Steps, policy?.EscalationThreshold ?? 0m, string.Empty, errors);
        return errors;
    }

    private static void ValidateVariants(IReadOnlyList<PolicyVariant?> variants, List<FieldError> errors)
    {
        if (variants.Count is 0 or > MaxVariants)
        {
            errors.Add(new("variants", $"between 1 and {MaxVariants} variants, or none at all (null)"));
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < variants.Count; i++)
        {
            var field = $"variants[{i}]";
            if (variants[i] is not { } variant)
            {
                errors.Add(new(field, "a variant is required"));
                continue;
            }

            if (string.IsNullOrEmpty(variant.Name) || variant.Name.Length > MaxVariantName
                || !variant.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                errors.Add(new($"{field}.name", $"1 to {MaxVariantName} letters, digits, '-', '_' or '.'"));
            }
            else if (!names.Add(variant.Name))
            {
                errors.Add(new($"{field}.name", "another variant has this name"));
            }

            if (variant.Weight is < 0m or > 1_000_000m)
            {
                errors.Add(new($"{field}.weight", "between 0 (no new debtors) and 1000000, relative to the other variants' weights"));
            }

            ValidateSchedule(variant.Steps, variant.EscalationThreshold, field + ".", errors);
        }

        if (variants.All(v => v is null || v.Weight <= 0m))
        {
            errors.Add(new("variants", "at least one variant needs a weight above zero, or no new debtor could be given one"));
        }
    }

    private static void ValidateSchedule(IReadOnlyList<PolicyStep>? schedule, decimal escalationThreshold, string prefix, List<FieldError> errors)
    {
        if (schedule is not { Count: > 0 and <= 20 } steps)
        {
            errors.Add(new($"{prefix}steps", "between 1 and 20 steps are required"));
            return;
        }

        if (escalationThreshold < 0m)
        {
            errors.Add(new($"{prefix}escalationThreshold", "cannot be negative"));
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var field = $"{prefix}steps[{i}]";
            if (step is null)
            {
                errors.Add(new(field, "a step is required"));
                continue;
            }

            if (step.DayAfterDue is < 0 or > 700)
            {
                errors.Add(new($"{field}.dayAfterDue", "between 0 and 700 days (a consumer claim prescribes after two years)"));
            }

            if (i > 0 && steps[i - 1] is { } previous && step.DayAfterDue <= previous.DayAfterDue)
            {
                errors.Add(new($"{field}.dayAfterDue", "steps must fall on strictly increasing days"));
            }

            var channels = step.Channels ?? [];
            if (step.Action == StepAction.FinalDecision)
            {
                if (i != steps.Count - 1)
                {
                    errors.Add(new($"{field}.action", "the final decision can only be the last step"));
                }

                if (channels.Count > 0)
                {
                    errors.Add(new($"{field}.channels", "the final decision sends nothing"));
                }
            }
            else if (channels.Count == 0 || channels.Distinct().Count() != channels.Count)
            {
                errors.Add(new($"{field}.channels", "one or more distinct channels (email, sms, letter) are required"));
            }
        }
    }
}
