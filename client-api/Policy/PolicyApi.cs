using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Policy;

/// <summary><c>PUT /api/v1/policy</c> and <c>GET /api/v1/policy</c>: the creditor's dunning schedule.</summary>
public static class PolicyApi
{
    public static RouteGroupBuilder MapPolicyApi(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/policy").WithTags("Policy");
        policy.MapGet("/", GetPolicy).WithName("getPolicy").WithSummary("The creditor's dunning schedule");
        policy.MapPut("/", PutPolicy).WithName("setPolicy").WithSummary("Replace the creditor's dunning schedule")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);
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

        await grains.Reference<ICreditorGrain>(CreditorKeyFilter.CreditorOf(context)).SetPolicy(policy);
        return TypedResults.Ok(policy);
    }

    /// <summary>
    /// A usable schedule: 1 to 20 steps on increasing days within two years (the consumer prescription),
    /// every contact step with a channel, at most one final decision and only as the last step.
    /// </summary>
    public static List<FieldError> Validate(DunningPolicy? policy)
    {
        var errors = new List<FieldError>();
        if (policy?.Steps is not { Count: > 0 and <= 20 } steps)
        {
            errors.Add(new("steps", "between 1 and 20 steps are required"));
            return errors;
        }

        if (policy.EscalationThreshold < 0m)
        {
            errors.Add(new("escalationThreshold", "cannot be negative"));
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var field = $"steps[{i}]";
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

        return errors;
    }
}
