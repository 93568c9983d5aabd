using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recouvrement.Events;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>The reports on the embedded default: counters in memory.</summary>
public sealed class EmbeddedReportsTests(EmbeddedReportsTests.Host host) : ReportsTests(host), IClassFixture<EmbeddedReportsTests.Host>
{
    public sealed class Host : EngineHost, IReportsHost
    {
        public FakeTimeProvider Clock { get; } = new(ReportsTests.Start);

        protected override void Customize(WebApplicationBuilder builder) => builder.Services.AddKeyedSingleton<TimeProvider>(EngineClock.Key, Clock);
    }
}

/// <summary>The reports on PostgreSQL: counters in <c>recouvrement_report_counters</c>, written with the read model.</summary>
public sealed class DurableReportsTests(DurableReportsTests.Host host) : ReportsTests(host), IClassFixture<DurableReportsTests.Host>
{
    public sealed class Host : EngineHost, IReportsHost
    {
        private PostgresDatabase? _database;

        public FakeTimeProvider Clock { get; } = new(ReportsTests.Start);

        protected override IEnumerable<string> ExtraArgs => DurableArgs(_database!.ConnectionString);

        protected override void Customize(WebApplicationBuilder builder) => builder.Services.AddKeyedSingleton<TimeProvider>(EngineClock.Key, Clock);

        public override async Task InitializeAsync()
        {
            _database = await PostgresDatabase.CreateAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await _database!.DisposeAsync();
        }
    }
}

/// <summary>A host whose engine clock the test moves.</summary>
public interface IReportsHost
{
    FakeTimeProvider Clock { get; }
}

/// <summary>
/// The summary and the recovery curves of a known portfolio, fed and paid on an engine clock the test moves: an
/// October cohort and a November one, payments on known days after intake. Each creditor sees only its own figures,
/// and events delivered again count once.
/// </summary>
public abstract class ReportsTests(EngineHost host)
{
    /// <summary>Monday 5 October 2026, 09:00 UTC (11:00 in Paris).</summary>
    public static readonly DateTimeOffset Start = new(2026, 10, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Projection = TimeSpan.FromSeconds(30);

    private FakeTimeProvider Clock => ((IReportsHost)host).Clock;

    private async Task<(HttpClient Api, string Creditor)> NewCreditor()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, key, _) = await Keys.OnboardAsync(operatorClient);
        return (host.Client(key), id);
    }

    private static object Case(string reference, decimal amount) => new
    {
        // Due far ahead: no reminder goes out whatever the clock does, the figures move only with what the test records.
        reference, amount, issuedOn = "2026-09-01", dueOn = "2031-01-10",
        debtor = new { reference = "D-" + reference, kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
    };

    private async Task Feed(HttpClient api, params (string Reference, decimal Amount)[] cases)
    {
        foreach (var (reference, amount) in cases)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", Case(reference, amount))).StatusCode);
        }
    }

    private static async Task Pay(HttpClient api, string reference, decimal amount) =>
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/cases/{reference}/payments", new { amount, reference = "VIR-" + reference })).StatusCode);

    private void At(int day) => Clock.SetUtcNow(Start.AddDays(day));

    private static decimal Dec(JsonNode? node) => node!.GetValue<decimal>();

    /// <summary>An amount as text, two decimals.</summary>
    private static string M(JsonNode? node) => Dec(node).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A share as text, as few decimals as it needs.</summary>
    private static string S(JsonNode? node) => Dec(node).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_portfolio_fed_and_paid_on_known_days_has_the_expected_curves_and_summary_and_another_creditor_sees_none_of_it()
    {
        var (api, creditor) = await NewCreditor();
        var (other, _) = await NewCreditor();
        using var _api = api;
        using var _other = other;

        // October cohort, fed on 5 October: 200.00 over four cases.
        At(0);
        await Feed(api, ("OCT-1", 100m), ("OCT-2", 50m), ("OCT-3", 30m), ("OCT-4", 20m));
        At(3);
        await Pay(api, "OCT-1", 100m); // day 3, in full
        At(20);
        await Pay(api, "OCT-2", 25m); // day 20, half
        // November cohort, fed on 19 November: 100.00 over two cases.
        At(45);
        await Pay(api, "OCT-3", 30m); // day 45, in full
        await Feed(api, ("NOV-1", 40m), ("NOV-2", 60m));
        At(55);
        await Pay(api, "NOV-2", 60m); // 29 November: day 10 of its cohort, in full

        var summary = await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/reports/summary"),
            s => s!["portfolio"]!["cases"]!.GetValue<long>() == 6 && Dec(s["portfolio"]!["recovered"]) == 215m, Projection,
            "six cases and 215.00 recovered in the summary");
        var portfolio = summary!["portfolio"]!;
        Assert.Equal(("EUR", "2026-11-29"), (summary["currency"]!.GetValue<string>(), summary["today"]!.GetValue<string>()));
        Assert.Equal((300m, 215m, 3L, 85m, 3L), (Dec(portfolio["amount"]), Dec(portfolio["recovered"]), portfolio["openCases"]!.GetValue<long>(),
            Dec(portfolio["outstanding"]), portfolio["paidCases"]!.GetValue<long>()));
        Assert.Equal((0.7167m, 0.5m), (Dec(portfolio["recoveryRate"]!["amount"]), Dec(portfolio["recoveryRate"]!["cases"])));
        Assert.Equal(["active:3:110.00:25.00:85.00", "paid:3:190.00:190.00:0.00"], portfolio["byStatus"]!.AsArray().Select(g =>
            $"{g!["status"]}:{g["cases"]}:{M(g["amount"])}:{M(g["paid"])}:{M(g["balance"])}"));
        Assert.Equal(["0:6"], portfolio["byStage"]!.AsArray().Select(g => $"{g!["stage"]}:{g["cases"]}"));
        Assert.Equal(["0:6:1"], portfolio["funnel"]!.AsArray().Select(f => $"{f!["stage"]}:{f["reached"]}:{S(f["share"])}"));

        // The default period is this month: the two November payments, two cases paid in full after 45 and 10 days.
        var period = summary["period"]!;
        Assert.Equal(("2026-11-01", "2026-11-29"), (period["from"]!.GetValue<string>(), period["to"]!.GetValue<string>()));
        Assert.Equal((2L, 90m, 2L, 27.5, 27.5), (period["payments"]!.GetValue<long>(), Dec(period["recovered"]), period["paidCases"]!.GetValue<long>(),
            period["averageDaysToPay"]!.GetValue<double>(), period["medianDaysToPay"]!.GetValue<double>()));
        Assert.Equal(["2026-11:2:90.00"], period["byMonth"]!.AsArray().Select(m => $"{m!["month"]}:{m["payments"]}:{M(m["recovered"])}"));
        Assert.Equal(["none:2:90.00:1"], period["byChannel"]!.AsArray().Select(c => $"{c!["channel"]}:{c["payments"]}:{M(c["recovered"])}:{S(c["share"])}"));

        // Since October: four payments, three cases paid in full after 3, 10 and 45 days.
        var since = (await api.GetFromJsonAsync<JsonObject>("/api/v1/reports/summary?from=2026-10-01&to=2026-11-30"))!["period"]!;
        Assert.Equal((4L, 215m, 3L, 19.3, 10.0), (since["payments"]!.GetValue<long>(), Dec(since["recovered"]), since["paidCases"]!.GetValue<long>(),
            since["averageDaysToPay"]!.GetValue<double>(), since["medianDaysToPay"]!.GetValue<double>()));
        Assert.Equal(["2026-10:2:125.00", "2026-11:2:90.00"], since["byMonth"]!.AsArray().Select(m => $"{m!["month"]}:{m["payments"]}:{M(m["recovered"])}"));

        // The curves: within 7, 14, 30, 60 and 90 days of intake; a point is complete once every case of the month is that old.
        var cohorts = (await api.GetFromJsonAsync<JsonObject>("/api/v1/reports/cohorts?by=month"))!;
        Assert.Equal([7, 14, 30, 60, 90], cohorts["days"]!.AsArray().Select(d => d!.GetValue<int>()));
        Assert.Equal(
        [
            "2026-10 4 200.00 155.00 | 7:100.00:0.5:True 14:100.00:0.5:True 30:125.00:0.625:False 60:155.00:0.775:False 90:155.00:0.775:False",
            "2026-11 2 100.00 60.00 | 7:0.00:0:False 14:60.00:0.6:False 30:60.00:0.6:False 60:60.00:0.6:False 90:60.00:0.6:False",
        ], cohorts["cohorts"]!.AsArray().Select(c => $"{c!["month"]} {c["cases"]} {M(c["amount"])} {M(c["recovered"])} | " +
            string.Join(' ', c["points"]!.AsArray().Select(p => $"{p!["day"]}:{M(p["recovered"])}:{S(p["share"])}:{p["complete"]!.GetValue<bool>()}"))));

        // The other creditor has nothing of it.
        var theirs = (await other.GetFromJsonAsync<JsonObject>("/api/v1/reports/summary?from=2026-10-01"))!;
        Assert.Equal((0L, 0m, 0m, 0L), (theirs["portfolio"]!["cases"]!.GetValue<long>(), Dec(theirs["portfolio"]!["amount"]),
            Dec(theirs["period"]!["recovered"]), theirs["period"]!["payments"]!.GetValue<long>()));
        Assert.Empty(theirs["portfolio"]!["byStatus"]!.AsArray());
        Assert.Empty((await other.GetFromJsonAsync<JsonObject>("/api/v1/reports/cohorts"))!["cohorts"]!.AsArray());

        // Every event of the creditor delivered again, in one go and case by case, counts no more.
        var writer = host.Services.GetRequiredService<ICaseSummaryWriter>();
        var events = await host.Services.GetRequiredService<IEventLog>().ReadAsync(creditor, EventCursor.Start, null, 1000);
        foreach (var caseEvents in events.Select(e => e.Event).Where(e => e.Summary is not null).GroupBy(e => e.CaseReference))
        {
            await writer.ApplyAsync(creditor, [.. caseEvents]);
            await writer.ApplyAsync(creditor, [caseEvents.First()]);
        }

        var again = (await api.GetFromJsonAsync<JsonObject>("/api/v1/reports/summary?from=2026-10-01&to=2026-11-30"))!;
        Assert.Equal(since.ToJsonString(), again["period"]!.ToJsonString());
        Assert.Equal(portfolio.ToJsonString(), again["portfolio"]!.ToJsonString());
        Assert.Equal(cohorts.ToJsonString(), (await api.GetFromJsonAsync<JsonObject>("/api/v1/reports/cohorts"))!.ToJsonString());
    }

    [Theory]
    [InlineData("/api/v1/reports/summary?from=2026-13-01", "from")]
    [InlineData("/api/v1/reports/summary?to=01/12/2026", "to")]
    [InlineData("/api/v1/reports/summary?from=2026-11-10&to=2026-11-01", "to")]
    [InlineData("/api/v1/reports/summary?currency=eur", "currency")]
    [InlineData("/api/v1/reports/cohorts?by=week", "by")]
    public async Task A_bad_parameter_is_a_400_naming_its_field(string url, string field)
    {
        var (api, _) = await NewCreditor();
        using var _api = api;
        var response = await api.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(field, Assert.Single(body["errors"]!.AsArray())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_reports_need_a_key()
    {
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/reports/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/reports/cohorts")).StatusCode);
    }
}
