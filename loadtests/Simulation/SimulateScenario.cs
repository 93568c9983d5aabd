using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recouvrement.LoadTests.Infrastructure;
using Recouvrement.Silo.Simulation;

namespace Recouvrement.LoadTests.Simulation;

/// <summary>
/// Rehearses policies on a synthetic population with the real engine: a silo on PostgreSQL on a scaled clock, the
/// policies as weighted variants of one creditor, one case per debtor fed through the API, and the silo's
/// <see cref="SimulatedDebtors"/>, who read their messages in the outbox (the local stand-in for the providers) and
/// answer through the debtor page, the sandbox checkout and the providers' signed webhooks, as <see cref="Population"/>
/// says. At the end, each variant's figures from the engine's own
/// variants report, its recovery curve from the event feed, and the contacts checked against the send window, the
/// minimum gap and the frequency caps.
/// </summary>
public static class SimulateScenario
{
    public sealed record Options(int Debtors, int Days, IReadOnlyList<string> Policies, int Seed, double Speed, string? Population, string? Output, int BaselineSeconds = 10);

    // Saturday 27 February 2027, midnight in Paris; the cases fall due on Sunday 28, so day 1 of every schedule is
    // Monday 1 March. The clock reaches Start only once the feed is over (its anchor is set after it).
    private static readonly DateTimeOffset Start = new(2027, 2, 27, 0, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateOnly DueOn = new(2027, 2, 28);

    /// <summary>The figures of one variant; everything but the timings is the same for the same seed.</summary>
    public sealed record VariantFigures(
        string Name, int Debtors, int Cases, decimal Amount, decimal Recovered, decimal RecoveryRate, int PaidCases, double? MedianDayAfterDueOfPayment,
        JsonNode Messages, decimal Cost, decimal? CostPerEuroRecovered, int Disputes, double? PValue,
        IReadOnlyList<decimal> RecoveryByDay, int WindowViolations, int GapViolations, int CapViolations);

    /// <summary>
    /// What the providers reported of the debtors (e-mails bounced, numbers invalid, STOP replies), each debtor once,
    /// and how many of them the engine shows with the contact point disabled or opted out at the end.
    /// </summary>
    public sealed record ContactPointFigures(int Bounced, int EmailDisabled, int InvalidNumbers, int SmsDisabled, int Stopped, int SmsOptedOut);

    public sealed record Result(int Seed, int Debtors, int Days, double Speed, IReadOnlyDictionary<string, int> Population,
        IReadOnlyDictionary<string, int> Answers, IReadOnlyDictionary<string, int> Requests, ContactPointFigures ContactPoints,
        IReadOnlyList<VariantFigures> Variants, double WallSeconds, double CaseDaysPerSecond, int OutboxListings, int MissedByNotifications,
        IReadOnlyDictionary<string, double> Baselines, double LoadAverage);

    public static async Task<Result> RunAsync(Options options, TextWriter log)
    {
        var population = options.Population is { } file ? Population.Load(file) : Population.Default();
        var variants = options.Policies.Select(VariantOf).ToList();
        if (variants.Select(v => v["name"]!.GetValue<string>()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != variants.Count)
        {
            throw new ArgumentException("two policy files have the same name: each names its variant");
        }

        var watch = Stopwatch.StartNew();
        // The feed runs before the anchor, on a clock that has not reached Start: a second per 2,000 debtors, and the silo's start.
        var anchor = DateTimeOffset.UtcNow.AddSeconds(25 + options.Debtors / 2_000.0);
        DateTimeOffset EngineNow() => Start + ((DateTimeOffset.UtcNow - anchor) * options.Speed);
        using var providers = new SimulatedProviders();
        var settings = new Dictionary<string, string>
        {
            ["Recouvrement__Clock__Speed"] = options.Speed.ToString(CultureInfo.InvariantCulture),
            ["Recouvrement__Clock__Start"] = Start.ToString("O"),
            ["Recouvrement__Clock__Anchor"] = anchor.ToString("O"),
            ["Recouvrement__Contact__ConsolidationDelay"] = "00:10:00",
        };
        foreach (var (key, value) in providers.Settings())
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        await using var engine = await Engine.StartAsync(settings);
        using var api = engine.Client();
        await Put(api, "/api/v1/policy", new JsonObject { ["variants"] = new JsonArray([.. variants]) });

        var portfolio = new Portfolio(population, options.Seed, DueOn);
        await portfolio.FeedAsync(api, options.Debtors);

        log.WriteLine($"  fed {options.Debtors:N0} debtors in {watch.Elapsed.TotalSeconds:0.0} s; the clock reaches day 0 in {(anchor - DateTimeOffset.UtcNow).TotalSeconds:0} s");

        var assignment = new Creditors.DunningPolicy([], 0m, [.. variants.Select(v => new Creditors.PolicyVariant(v["name"]!.GetValue<string>(), 1m, [], 0m))]);
        using var debtors = new SimulatedDebtors(engine.Url, "demo", engine.Key, engine.Outbox, Path.Combine(engine.Outbox, "letters"), portfolio, providers,
            d => assignment.AssignVariant(d) ?? "", Start);
        var end = Start.AddDays(options.Days + 1);
        var lastShown = TimeSpan.Zero;
        while (EngineNow() < end)
        {
            await debtors.ReadNewMessagesAsync(end);
            if (watch.Elapsed - lastShown > TimeSpan.FromSeconds(10))
            {
                lastShown = watch.Elapsed;
                log.WriteLine($"  day {(EngineNow() - Start).TotalDays,5:0.0}: {debtors.Messages.Count:N0} messages read, answers {string.Join(", ", debtors.Answers.Select(a => $"{a.Key} {a.Value}"))}");
            }

            await Task.Delay(100);
        }

        // Every message sent before the end is read, however late the engine wrote it or its notification came: a
        // listing checks, once the clock is well past the end.
        while (EngineNow() < end.AddHours(12))
        {
            await Task.Delay(50);
        }

        await debtors.ReadNewMessagesAsync(end, list: true);
        await debtors.DrainAsync();
        var wall = watch.Elapsed.TotalSeconds;
        // The log serves an event once every transaction older than it has ended: read the report once it holds every
        // message the debtors read and every payment and dispute they made.
        var report = await SettledReportAsync(api, debtors);
        var points = await debtors.ContactPointsAsync();
        // Other people's work on the machine moves every figure: the load it had during the run, and the baselines
        // measured right after it, as the other scenarios do (none with --baseline-seconds 0).
        var load = LoadAverage();
        var baselines = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (options.BaselineSeconds > 0)
        {
            log.WriteLine("  baselines: pgbench, then a bare grain call loop…");
            baselines[Baselines.PgBench] = await PgBenchBaseline.RunAsync(engine.ConnectionString, options.BaselineSeconds, 4);
            baselines[Baselines.GrainCalls] = await GrainCallBaseline.RunAsync(TimeSpan.FromSeconds(options.BaselineSeconds), 4);
        }

        var (curves, medians) = Curves(debtors.Payments, portfolio.Cases.ToLookup(a => debtors.VariantOf(a.Key), a => a.Value.Amount), options.Days);
        var violations = Violations(debtors.Messages);
        var figures = report["variants"]!.AsArray().Where(v => v!["variant"] is not null).Select(v =>
        {
            var name = v!["variant"]!.GetValue<string>();
            var (window, gap, cap) = violations.GetValueOrDefault(name);
            return new VariantFigures(name, v["debtors"]!.GetValue<int>(), v["cases"]!.GetValue<int>(), v["amount"]!.GetValue<decimal>(),
                v["recovered"]!.GetValue<decimal>(), v["recoveryRate"]!.GetValue<decimal>(), v["paidCases"]!.GetValue<int>(),
                medians.GetValueOrDefault(name), v["messages"]!.DeepClone(), v["cost"]!.GetValue<decimal>(),
                v["costPerEuroRecovered"]?.GetValue<decimal>(), v["disputes"]!.GetValue<int>(), v["pValue"]?.GetValue<double>(),
                curves.GetValueOrDefault(name) ?? [], window, gap, cap);
        }).ToList();

        return new Result(options.Seed, options.Debtors, options.Days, options.Speed,
            portfolio.Types.Values.GroupBy(t => t.Name).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            new SortedDictionary<string, int>(debtors.Answers.ToDictionary(a => a.Key.ToString().ToLowerInvariant(), a => a.Value)),
            new SortedDictionary<string, int>(debtors.Outcomes, StringComparer.Ordinal),
            new ContactPointFigures(points.Bounced, points.EmailDisabled, points.Invalid, points.SmsDisabled, points.Stopped, points.SmsOptedOut),
            figures, wall, (double)options.Debtors * options.Days / wall, debtors.Listings, debtors.MissedByNotifications, baselines, load);
    }

    /// <summary>The machine's load over the last 15 minutes (<c>/proc/loadavg</c>), or -1 where there is none.</summary>
    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : -1;

    private static async Task<JsonNode> SettledReportAsync(HttpClient api, SimulatedDebtors debtors)
    {
        var sent = debtors.Messages.Count;
        var paid = debtors.Outcomes.Where(o => o.Key is "paid" or "transfer").Sum(o => o.Value);
        var disputed = debtors.Outcomes.GetValueOrDefault("disputed");
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            var report = await api.GetFromJsonAsync<JsonNode>("/api/v1/reports/variants") ?? throw new InvalidOperationException("no report");
            var variants = report["variants"]!.AsArray();
            int Sum(Func<JsonNode, int> figure) => variants.Sum(v => figure(v!));
            if (Sum(v => v["messages"]!["total"]!.GetValue<int>()) >= sent && Sum(v => v["paidCases"]!.GetValue<int>()) >= paid
                && Sum(v => v["disputes"]!.GetValue<int>()) >= disputed || DateTimeOffset.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Each variant's share of its amount recovered by the end of each day (day 0: Start), and the median day after the
    /// due date of its payments, counting each payment on the engine day of the message it answered: the day the
    /// debtor decided, which the seed and the schedule fix, where the instant the engine records depends on how fast
    /// this machine answers.
    /// </summary>
    private static (Dictionary<string, IReadOnlyList<decimal>> Curves, Dictionary<string, double?> Medians) Curves(
        IEnumerable<(string Variant, int Day, decimal Amount)> payments, ILookup<string, decimal> amounts, int days)
    {
        var byVariant = payments.ToLookup(p => p.Variant);
        var dueDay = DueOn.DayNumber - DateOnly.FromDateTime(Start.DateTime).DayNumber;
        var curves = amounts.ToDictionary(a => a.Key, a =>
        {
            var total = Math.Max(a.Sum(), 0.01m);
            var running = 0m;
            return (IReadOnlyList<decimal>)[.. Enumerable.Range(0, days + 1).Select(day =>
                decimal.Round((running += byVariant[a.Key].Where(p => Math.Clamp(p.Day, 0, days) == day).Sum(p => p.Amount)) / total, 4))];
        });
        return (curves, amounts.ToDictionary(a => a.Key, a => Median([.. byVariant[a.Key].Select(p => (double)(p.Day - dueDay))])));
    }

    /// <summary>A policy file (a policy's JSON: steps and escalation threshold) as a variant named after the file.</summary>
    private static JsonObject VariantOf(string path)
    {
        var policy = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var name = new string([.. Path.GetFileNameWithoutExtension(path).Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')]);
        return new JsonObject
        {
            ["name"] = name.Length > 40 ? name[..40] : name,
            ["weight"] = 1,
            ["steps"] = policy["steps"]!.DeepClone(),
            ["escalationThreshold"] = policy["escalationThreshold"]?.DeepClone() ?? 40,
        };
    }

    private static async Task Put(HttpClient api, string path, JsonNode body)
    {
        using var response = await api.PutAsync(path, JsonContent.Create(body));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>
    /// Per variant, e-mails and SMS sent outside the send window, contacts closer than the minimum gap, and channels
    /// over their cap in any period: production's own rules and defaults (<see cref="Calendar.SendWindow"/>,
    /// <see cref="Debtors.ContactOptions"/>). The messages of one dispatch (within a minute) are one contact.
    /// </summary>
    public static Dictionary<string, (int Window, int Gap, int Cap)> Violations(IEnumerable<Seen> messages)
    {
        var rules = new Debtors.ContactOptions();
        var found = new Dictionary<string, (int Window, int Gap, int Cap)>(StringComparer.Ordinal);
        foreach (var debtor in messages.Where(m => m.Channel is "email" or "sms").GroupBy(m => m.Debtor))
        {
            var variant = debtor.First().Variant;
            var (window, gap, cap) = found.GetValueOrDefault(variant);
            window += debtor.Count(m => !Calendar.SendWindow.IsOpen(m.At));
            var contacts = debtor.Select(m => m.At).Order().ToList();
            var dispatches = contacts.Where((at, i) => i == 0 || at - contacts[i - 1] > TimeSpan.FromMinutes(1)).ToList();
            gap += dispatches.Skip(1).Where((at, i) => at - dispatches[i] < rules.MinimumGap).Count();
            foreach (var (channel, max) in new[] { ("sms", rules.MaxSmsPerPeriod), ("email", rules.MaxEmailsPerPeriod) })
            {
                var sent = debtor.Where(m => m.Channel == channel).Select(m => m.At).Order().ToList();
                cap += sent.Where((at, i) => sent.Count(other => other > at - rules.CapPeriod && other <= at) > max).Count();
            }

            found[variant] = (window, gap, cap);
        }

        return found;
    }
}
