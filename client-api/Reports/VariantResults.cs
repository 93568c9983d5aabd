using System.Text.Json;

namespace Recouvrement.Api.Reports;

/// <summary>Messages actually sent, per channel; a formal notice by post counts as a registered letter.</summary>
public sealed record ChannelMessages(int Email, int Sms, int Letter, int RegisteredLetter)
{
    public int Total => Email + Sms + Letter + RegisteredLetter;

    public decimal CostAt(ChannelCosts costs) =>
        Email * costs.Email + Sms * costs.Sms + Letter * costs.Letter + RegisteredLetter * costs.RegisteredLetter;
}

/// <summary>
/// How the cases of one variant did (<c>variant</c> null: the cases of debtors met before the policy had variants).
/// <c>paidRate</c> is the share of cases paid in full, the proportion whose difference from the champion's the
/// two-proportion test weighs (<c>pValue</c>: null for the champion itself, or when no test can tell).
/// </summary>
public sealed record VariantResult(
    string? Variant,
    bool Champion,
    int Debtors,
    int Cases,
    decimal Amount,
    decimal Recovered,
    decimal RecoveryRate,
    int PaidCases,
    decimal PaidRate,
    double? MedianDaysToPayment,
    ChannelMessages Messages,
    decimal Cost,
    decimal? CostPerEuroRecovered,
    int Disputes,
    int OptOuts,
    double? PValue);

/// <summary>The results of every variant met in the creditor's events, the champion first; the costs they were counted at.</summary>
public sealed record VariantsReport(string? Champion, ChannelCosts Costs, IReadOnlyList<VariantResult> Variants);

/// <summary>
/// Folds a creditor's events, in the log's order, into the results per variant: a case counts in the variant its
/// creation recorded, a debtor's opt-out in its cases' variant, a message once however many cases it carried.
/// Pure: the same events give the same report.
/// </summary>
public sealed class VariantTally
{
    /// <summary>The event types the report reads; the others change nothing.</summary>
    public static IReadOnlyList<string> Types { get; } =
    [
        EventTypes.Created, EventTypes.Contacted, EventTypes.FormalNoticeSent, EventTypes.PaymentReceived, EventTypes.Paid,
        EventTypes.Disputed, EventTypes.ContactPointChanged,
    ];

    private sealed class Group
    {
        public readonly HashSet<string> Debtors = new(StringComparer.Ordinal);
        public readonly HashSet<string> Disputed = new(StringComparer.Ordinal);
        public readonly HashSet<string> OptedOut = new(StringComparer.Ordinal);
        public readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal);
        public readonly List<double> DaysToPayment = [];
        public int Cases;
        public decimal Amount;
        public decimal Recovered;
        public int Paid;
    }

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Variant, DateTimeOffset CreatedAt)> _cases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _debtors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);

    /// <summary>The key of cases without a variant among the groups (a variant name has no spaces).</summary>
    private const string NoVariant = " none";

    public void Add(EngineEvent e)
    {
        if (e.Type == EventTypes.Created && e.CaseReference is { } created)
        {
            var variant = e.Summary?.Variant ?? NoVariant;
            if (!_cases.TryAdd(created, (variant, e.OccurredAt)))
            {
                return; // delivered twice
            }

            _debtors.TryAdd(e.DebtorReference, variant);
            var group = GroupOf(variant);
            group.Cases++;
            group.Amount += e.Summary?.Amount ?? Number(e.Data, "amount");
            group.Debtors.Add(e.DebtorReference);
            return;
        }

        if (e.Type == EventTypes.ContactPointChanged)
        {
            if (_debtors.TryGetValue(e.DebtorReference, out var variant) && Text(e.Data, "status") == "opted_out")
            {
                GroupOf(variant).OptedOut.Add(e.DebtorReference);
            }

            return;
        }

        if (e.CaseReference is null || !_cases.TryGetValue(e.CaseReference, out var known))
        {
            return; // a case created before the log began: not counted anywhere
        }

        var of = GroupOf(known.Variant);
        switch (e.Type)
        {
            case EventTypes.Contacted when Text(e.Data, "messageId") is { } message:
                of.Messages.TryAdd(message, Text(e.Data, "channel") ?? "email");
                break;
            case EventTypes.FormalNoticeSent when Text(e.Data, "channel") == "letter" && Text(e.Data, "messageId") is { } notice:
                _registered.Add(notice);
                break;
            case EventTypes.PaymentReceived:
                of.Recovered += Number(e.Data, "amount");
                break;
            case EventTypes.Paid:
                of.Paid++;
                of.DaysToPayment.Add((e.OccurredAt - known.CreatedAt).TotalDays);
                break;
            case EventTypes.Disputed:
                of.Disputed.Add(e.CaseReference);
                break;
        }
    }

    /// <summary>
    /// The report: <paramref name="champion"/> (the policy's first variant) first, then the others by name, then the cases
    /// without a variant. Without a champion among the groups, no p-value.
    /// </summary>
    public VariantsReport Report(string? champion, ChannelCosts costs)
    {
        var results = _groups
            .OrderBy(g => g.Key == champion ? 0 : g.Key == NoVariant ? 2 : 1)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Result(g.Key, g.Value, costs))
            .ToList();
        if (champion is not null && _groups.TryGetValue(champion, out var first))
        {
            results = [.. results.Select(r => r.Variant == champion
                ? r with { Champion = true }
                : r with { PValue = TwoProportionTest.PValue(r.PaidCases, r.Cases, first.Paid, first.Cases) })];
        }

        return new VariantsReport(champion, costs, results);
    }

    private VariantResult Result(string key, Group g, ChannelCosts costs)
    {
        int Count(string channel, bool registered) =>
            g.Messages.Count(m => m.Value == channel && (channel != "letter" || _registered.Contains(m.Key) == registered));
        var messages = new ChannelMessages(Count("email", false), Count("sms", false), Count("letter", false), Count("letter", true));
        var cost = decimal.Round(messages.CostAt(costs), 2);
        return new VariantResult(
            key == NoVariant ? null : key,
            Champion: false,
            g.Debtors.Count,
            g.Cases,
            g.Amount,
            g.Recovered,
            g.Amount > 0 ? decimal.Round(g.Recovered / g.Amount, 4) : 0m,
            g.Paid,
            g.Cases > 0 ? decimal.Round((decimal)g.Paid / g.Cases, 4) : 0m,
            Median(g.DaysToPayment),
            messages,
            cost,
            g.Recovered > 0 ? decimal.Round(messages.CostAt(costs) / g.Recovered, 4) : null,
            g.Disputed.Count,
            g.OptedOut.Count,
            PValue: null);
    }

    private Group GroupOf(string variant)
    {
        if (!_groups.TryGetValue(variant, out var group))
        {
            _groups[variant] = group = new Group();
        }

        return group;
    }

    /// <summary>The median in days, to a tenth; null without any.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return Math.Round(median, 1);
    }

    private static string? Text(string data, string property)
    {
        using var document = JsonDocument.Parse(data);
        return document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static decimal Number(string data, string property)
    {
        using var document = JsonDocument.Parse(data);
        return document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : 0m;
    }
}
