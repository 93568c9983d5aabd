using Recouvrement.Api.Access;

namespace Recouvrement.Api.Debtors;

/// <summary>
/// <c>GET /api/v1/debtors/{reference}</c>: open cases, contact points and their health, contact log;
/// <c>DELETE /api/v1/debtors/{reference}</c>: erases the debtor's personal data (GDPR art. 17).
/// </summary>
public static class DebtorsApi
{
    public static RouteGroupBuilder MapDebtorsApi(this RouteGroupBuilder api)
    {
        var debtors = api.MapGroup("/debtors").WithTags("Debtors");
        debtors.MapGet("/{reference}", GetDebtor).WithName("getDebtor").WithSummary("One debtor: open cases, contact points and their health, contact log")
            .ProducesProblems(StatusCodes.Status404NotFound);
        debtors.MapDelete("/{reference}", EraseDebtor).WithName("eraseDebtor").WithSummary("Erase a debtor's personal data everywhere (GDPR art. 17)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// Erases the debtor's personal data everywhere the engine keeps it, and its cases' (open ones close as
    /// <c>erased</c>); amounts, dates and references stay. Answers the erasure record: when, by which key, how many cases.
    /// </summary>
    public static async Task<Results<Ok<Erasure>, ProblemHttpResult>> EraseDebtor(HttpContext context, IGrainFactory grains, string reference)
    {
        var erasure = await DebtorErasure.EraseAsync(grains, CreditorKeyFilter.CreditorOf(context), reference, CreditorKeyFilter.KeyIdOf(context));
        return erasure is null ? Problems.NotFound($"no debtor '{reference}'") : TypedResults.Ok(erasure);
    }

    public static async Task<Results<Ok<DebtorView>, ProblemHttpResult>> GetDebtor(HttpContext context, IGrainFactory grains, string reference)
    {
        var view = await grains.Reference<IDebtorGrain>(GrainKeys.Compose(CreditorKeyFilter.CreditorOf(context), reference)).Get();
        return view is null ? Problems.NotFound($"no debtor '{reference}'") : TypedResults.Ok(view);
    }
}
