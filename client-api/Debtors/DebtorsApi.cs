using Recouvrement.Api.Access;

namespace Recouvrement.Api.Debtors;

/// <summary><c>GET /api/v1/debtors/{reference}</c>: open cases, contact points and their health, contact log.</summary>
public static class DebtorsApi
{
    public static RouteGroupBuilder MapDebtorsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/debtors/{reference}", GetDebtor).WithTags("Debtors");
        return api;
    }

    public static async Task<Results<Ok<DebtorView>, ProblemHttpResult>> GetDebtor(HttpContext context, IGrainFactory grains, string reference)
    {
        var view = await grains.Reference<IDebtorGrain>(GrainKeys.Compose(CreditorKeyFilter.CreditorOf(context), reference)).Get();
        return view is null ? Problems.NotFound($"no debtor '{reference}'") : TypedResults.Ok(view);
    }
}
