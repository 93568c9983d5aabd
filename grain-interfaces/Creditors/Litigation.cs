namespace Recouvrement.Creditors;

/// <summary>
/// Where a claim goes after the formal notice: the procédure simplifiée de recouvrement des petites créances (CPCE
/// L125-1, at most 5,000 EUR, fees borne by the creditor), the injonction de payer (CPC 1405 ff.), or nowhere.
/// </summary>
[GenerateSerializer, Alias("rc.LitigationRoute")]
public enum LitigationRoute
{
    SmallClaims = 0,
    PaymentOrder = 1,
    WriteOff = 2,
}

/// <summary>
/// One legal route's economics as a creditor sets them; a field left out takes the route's default
/// (<see cref="LitigationSettings.DefaultSmallClaims"/>, <see cref="LitigationSettings.DefaultPaymentOrder"/>).
/// </summary>
/// <param name="Enabled">Whether the creditor uses the route at all.</param>
/// <param name="Cost">What the route costs the creditor, in the case's currency, whatever it recovers.</param>
/// <param name="ExpectedDelayDays">How long the route takes, from hand-off to the money, as the creditor expects it.</param>
/// <param name="RecoveryRate">The share of the claim the route is expected to bring in, from 0 to 1.</param>
[GenerateSerializer, Immutable, Alias("rc.RouteTerms")]
public sealed record RouteTerms(
    [property: Id(0)] bool Enabled = true,
    [property: Id(1)] decimal? Cost = null,
    [property: Id(2)] int? ExpectedDelayDays = null,
    [property: Id(3)] decimal? RecoveryRate = null)
{
    /// <summary>These terms with every missing field taken from <paramref name="defaults"/>.</summary>
    public RouteTerms Over(RouteTerms defaults) =>
        new(Enabled, Cost ?? defaults.Cost, ExpectedDelayDays ?? defaults.ExpectedDelayDays, RecoveryRate ?? defaults.RecoveryRate);
}

/// <summary>
/// The <c>litigation</c> section of a creditor's settings: the routes it uses and what each costs, and whether a
/// hand-off waits for its approval. Defaults are starting points: a creditor's own figures replace them, and once it
/// has <see cref="HistoryThreshold"/> outcomes on a route, its own recovery rate does.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.LitigationSettings")]
public sealed record LitigationSettings(
    [property: Id(0)] RouteTerms? SmallClaims = null,
    [property: Id(1)] RouteTerms? PaymentOrder = null,
    [property: Id(2)] bool RequireApproval = false)
{
    /// <summary>How many handed-over cases with an outcome a route needs before its own recovery rate replaces the setting.</summary>
    public const int HistoryThreshold = 100;

    /// <summary>Small claims: a commissaire de justice's fees (about 50 EUR), about three months, 45 % recovered.</summary>
    public static RouteTerms DefaultSmallClaims { get; } = new(true, 50m, 90, 0.45m);

    /// <summary>Payment order: filing, service and enforcement (about 120 EUR), about six months, 40 % recovered.</summary>
    public static RouteTerms DefaultPaymentOrder { get; } = new(true, 120m, 180, 0.40m);

    public static LitigationSettings Default { get; } = new();

    /// <summary>The terms in force for a route, missing fields filled with the route's defaults.</summary>
    public RouteTerms For(LitigationRoute route) => route switch
    {
        LitigationRoute.SmallClaims => (SmallClaims ?? DefaultSmallClaims).Over(DefaultSmallClaims),
        LitigationRoute.PaymentOrder => (PaymentOrder ?? DefaultPaymentOrder).Over(DefaultPaymentOrder),
        _ => new RouteTerms(true, 0m, 0, 0m),
    };
}

/// <summary>What a creditor's handed-over cases on one route brought in: how many have an outcome, the balances handed over, and what was recovered.</summary>
[GenerateSerializer, Immutable, Alias("rc.RouteRecord")]
public sealed record RouteRecord(
    [property: Id(0)] int Outcomes,
    [property: Id(1)] decimal HandedOver,
    [property: Id(2)] decimal Recovered)
{
    public static RouteRecord Empty { get; } = new(0, 0m, 0m);

    /// <summary>The share recovered, 0 when nothing was handed over.</summary>
    public decimal Rate => HandedOver > 0m ? Math.Round(Recovered / HandedOver, 4, MidpointRounding.AwayFromZero) : 0m;

    public RouteRecord Add(decimal handedOver, decimal recovered) => new(Outcomes + 1, HandedOver + handedOver, Recovered + recovered);
}

/// <summary>A creditor's litigation outcomes so far, per route.</summary>
[GenerateSerializer, Immutable, Alias("rc.LitigationHistory")]
public sealed record LitigationHistory(
    [property: Id(0)] RouteRecord? SmallClaims = null,
    [property: Id(1)] RouteRecord? PaymentOrder = null)
{
    public static LitigationHistory None { get; } = new();

    public RouteRecord For(LitigationRoute route) => route switch
    {
        LitigationRoute.SmallClaims => SmallClaims ?? RouteRecord.Empty,
        LitigationRoute.PaymentOrder => PaymentOrder ?? RouteRecord.Empty,
        _ => RouteRecord.Empty,
    };

    public LitigationHistory Add(LitigationRoute route, decimal handedOver, decimal recovered) => route switch
    {
        LitigationRoute.SmallClaims => this with { SmallClaims = For(route).Add(handedOver, recovered) },
        LitigationRoute.PaymentOrder => this with { PaymentOrder = For(route).Add(handedOver, recovered) },
        _ => this,
    };
}

/// <summary>What the litigation decision reads from the creditor: its settings (charges and routes) and its history.</summary>
[GenerateSerializer, Immutable, Alias("rc.LitigationTerms")]
public sealed record LitigationTerms(
    [property: Id(0)] CreditorSettings Settings,
    [property: Id(1)] LitigationHistory History)
{
    public static LitigationTerms Default { get; } = new(CreditorSettings.None, LitigationHistory.None);
}
