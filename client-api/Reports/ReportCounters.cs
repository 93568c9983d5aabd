using System.Text.Json;
using Recouvrement.Calendar;

namespace Recouvrement.Api.Reports;

/// <summary>
/// The figures the reports read, kept by the projection as counters (<c>recouvrement_report_counters</c>, or in memory
/// embedded): each a table of cells that events add to, so that a report reads a few hundred cells however many cases
/// there are. <see cref="CounterKey.Day"/> and <see cref="CounterKey.Label"/> and <see cref="CounterKey.N"/> mean what
/// each figure says; a figure that has no day keeps <see cref="Undated"/>.
/// </summary>
public static class ReportFigures
{
    /// <summary>Cases as they stand, by status (label) and stage (n): count, amount, paid, balance.</summary>
    public const string Status = "status";

    /// <summary>Cases by the highest stage they reached (n): count (the funnel).</summary>
    public const string Reached = "reached";

    /// <summary>Payments by day recorded (Paris time) and channel of the last message before them (label): count, amount.</summary>
    public const string Payments = "payments";

    /// <summary>
    /// Cases paid in full, by month paid (Paris time; day: its first) and days from intake to payment (n, at most
    /// <see cref="MaxDaysToPay"/>): count. By month, so that a year is at most a few thousand cells.
    /// </summary>
    public const string DaysToPay = "days_to_pay";

    /// <summary>Days to pay of a year or more count as this many.</summary>
    public const int MaxDaysToPay = 366;

    /// <summary>Cases fed, by intake month (day: its first): count, amount.</summary>
    public const string Intake = "intake";

    /// <summary>
    /// Payments by intake month of their case (day: its first) and days after intake (n, up to
    /// <see cref="AfterCurve"/>): count, amount.
    /// </summary>
    public const string Recovery = "recovery";

    /// <summary>The n of payments made after the last day a recovery curve has a point at (90).</summary>
    public const int AfterCurve = 91;

    /// <summary>The day of the cells of a figure that has none.</summary>
    public static readonly DateOnly Undated = new(2000, 1, 1);

    /// <summary>The label of payments made before any message went out.</summary>
    public const string NoMessage = "none";
}

/// <summary>One cell of one creditor's counters.</summary>
public readonly record struct CounterKey(string Currency, string Figure, DateOnly Day, string Label, int N);

/// <summary>A cell and what it holds (or, as a change, what to add to it).</summary>
public readonly record struct Counter(CounterKey Key, long Count, decimal Amount, decimal Paid = 0, decimal Balance = 0)
{
    public Counter Plus(Counter other) => this with { Count = Count + other.Count, Amount = Amount + other.Amount, Paid = Paid + other.Paid, Balance = Balance + other.Balance };
}

/// <summary>A figure's cells to read, from a day to a day (both included); <see cref="ReportFigures.Undated"/> for a figure without days.</summary>
public readonly record struct CounterRange(string Figure, DateOnly From, DateOnly To)
{
    public static CounterRange Undated(string figure) => new(figure, ReportFigures.Undated, ReportFigures.Undated);
}

/// <summary>
/// What the counters hold of one case, kept beside its read-model row: its events counted up to
/// <paramref name="Sequence"/> (0: none yet), the case as it then stood (<paramref name="Counted"/>), the highest stage
/// it reached and the channel of its last message.
/// </summary>
public sealed record CaseTally(long Sequence, CaseSummary? Counted, int Reached, string? LastChannel)
{
    public static CaseTally None { get; } = new(0, null, 0, null);
}

/// <summary>Reads a creditor's counters.</summary>
public interface IReportCounters
{
    /// <summary>The non-empty cells of the given figures in one currency, each figure between its days.</summary>
    Task<IReadOnlyList<Counter>> ReadAsync(string creditorId, string currency, IReadOnlyList<CounterRange> ranges, CancellationToken cancellationToken = default);
}

/// <summary>
/// Folds a case's new events into its tally and the changes to its creditor's counters. Pure, and idempotent on the
/// case's event sequence, as the read model is: only events after the tally's sequence count, so a redelivered event
/// adds nothing; counters are sums, so cases may come in any order. A case's figures as it stands (status, stage,
/// stage reached) are moved (taken from the cell it was counted in, added to the new one); what happened (intake,
/// payments, payment in full) is added once, read off the summaries the events carry where it can be, so that events
/// that never came (a gap in the sequence: an earlier batch redelivered after newer ones, its first delivery never
/// written) still leave the amounts exact: what the case's paid total holds beyond the payments seen counts as one
/// payment on the day of the first event after the gap.
/// </summary>
public static class ReportFold
{
    public static (CaseTally Tally, IReadOnlyList<Counter> Changes) Apply(CaseTally held, IEnumerable<EngineEvent> events)
    {
        var changes = new List<Counter>();
        var latest = held.Counted;
        var sequence = held.Sequence;
        var reached = held.Reached;
        var channel = held.LastChannel;
        var paid = held.Counted?.Paid ?? 0m;
        var status = held.Counted?.Status;
        (DateOnly Day, string? Channel)? afterGap = null;
        foreach (var e in events.Where(e => e.Summary is not null && e.Sequence > held.Sequence).OrderBy(e => e.Sequence))
        {
            if (e.Sequence <= sequence)
            {
                continue; // the same event twice in one batch
            }

            var summary = e.Summary!;
            var day = ParisTime.DateOf(e.OccurredAt);
            if (latest is null)
            {
                // Counted for the first time: the case was placed, whether its creation is among these events or not.
                changes.Add(new(new(summary.Currency, ReportFigures.Intake, Cohort(summary), string.Empty, 0), 1, summary.Amount));
            }

            if ((sequence > 0 && e.Sequence > sequence + 1) || (sequence == 0 && e.Type != EventTypes.Created))
            {
                // Events before this one never came (a batch whose first delivery was never written, redelivered after
                // newer ones): whatever was paid in them is counted on this event's day.
                afterGap ??= (day, channel);
            }

            switch (e.Type)
            {
                case EventTypes.Contacted:
                    channel = Text(e.Data, "channel") ?? channel;
                    break;
                case EventTypes.PaymentReceived:
                    var amount = Number(e.Data, "amount");
                    Payment(changes, summary, day, channel, amount, 1);
                    paid += amount;
                    break;
            }

            if (summary.Status == CaseStatus.Paid && status != CaseStatus.Paid)
            {
                changes.Add(new(new(summary.Currency, ReportFigures.DaysToPay, new DateOnly(day.Year, day.Month, 1), string.Empty,
                    Math.Min(ReportFigures.MaxDaysToPay, DaysAfter(ParisTime.DateOf(summary.CreatedAt), day))), 1, 0));
            }

            status = summary.Status;
            reached = Math.Max(reached, summary.Stage);
            sequence = e.Sequence;
            latest = summary;
        }

        if (sequence == held.Sequence)
        {
            return (held, []);
        }

        if (latest!.Paid != paid)
        {
            // What the case's paid total holds beyond the payments seen: those of events that never came (one payment),
            // or, without a gap, what the payments' own amounts did not say (an amount only).
            var (day, missedChannel) = afterGap ?? (ParisTime.DateOf(latest.UpdatedAt), channel);
            Payment(changes, latest, day, missedChannel, latest.Paid - paid, afterGap is null ? 0 : 1);
        }

        if (held.Counted is { } before)
        {
            changes.Add(Standing(before, -1));
            changes.Add(new(new(before.Currency, ReportFigures.Reached, ReportFigures.Undated, string.Empty, held.Reached), -1, 0));
        }

        changes.Add(Standing(latest, 1));
        changes.Add(new(new(latest.Currency, ReportFigures.Reached, ReportFigures.Undated, string.Empty, reached), 1, 0));
        return (new CaseTally(sequence, latest, reached, channel), changes);
    }

    private static void Payment(List<Counter> changes, CaseSummary summary, DateOnly day, string? channel, decimal amount, int count)
    {
        var intake = ParisTime.DateOf(summary.CreatedAt);
        changes.Add(new(new(summary.Currency, ReportFigures.Payments, day, channel ?? ReportFigures.NoMessage, 0), count, amount));
        changes.Add(new(new(summary.Currency, ReportFigures.Recovery, Cohort(summary), string.Empty, Math.Min(ReportFigures.AfterCurve, DaysAfter(intake, day))), count, amount));
    }

    private static DateOnly Cohort(CaseSummary summary)
    {
        var intake = ParisTime.DateOf(summary.CreatedAt);
        return new DateOnly(intake.Year, intake.Month, 1);
    }

    /// <summary>Adds up changes to the same cells, in the cells' order (the order every writer locks them in).</summary>
    public static IReadOnlyList<(string CreditorId, Counter Change)> Merge(IEnumerable<(string CreditorId, Counter Change)> changes) => [.. changes
        .GroupBy(c => (c.CreditorId, c.Change.Key))
        .Select(g => (g.Key.CreditorId, g.Select(c => c.Change).Aggregate((a, b) => a.Plus(b))))
        .Where(c => c.Item2 is not { Count: 0, Amount: 0, Paid: 0, Balance: 0 })
        .OrderBy(c => c.CreditorId, StringComparer.Ordinal).ThenBy(c => c.Item2.Key.Currency, StringComparer.Ordinal)
        .ThenBy(c => c.Item2.Key.Figure, StringComparer.Ordinal).ThenBy(c => c.Item2.Key.Day)
        .ThenBy(c => c.Item2.Key.Label, StringComparer.Ordinal).ThenBy(c => c.Item2.Key.N)];

    private static Counter Standing(CaseSummary c, int sign) => new(
        new(c.Currency, ReportFigures.Status, ReportFigures.Undated, CaseStatuses.Wire(c.Status), c.Stage), sign, sign * c.Amount, sign * c.Paid, sign * c.Balance);

    /// <summary>Whole days from the intake day to a later day (Paris dates); a payment dated before intake counts on day 0.</summary>
    private static int DaysAfter(DateOnly intake, DateOnly day) => Math.Max(0, day.DayNumber - intake.DayNumber);

    private static string? Text(string data, string name)
    {
        using var json = JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static decimal Number(string data, string name)
    {
        using var json = JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : 0m;
    }
}
