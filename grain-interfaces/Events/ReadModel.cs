using Recouvrement.Cases;

namespace Recouvrement.Events;

/// <summary>
/// A place in the event log, after which a reader goes on: the writing transaction's id and the event's position in
/// the table (PostgreSQL), or the rank in memory. Events are read in that order, and only once every transaction
/// before them has ended, so a reader never passes an event that commits later.
/// </summary>
public readonly record struct EventCursor(ulong Transaction, long Position)
{
    public static EventCursor Start => default;

    /// <summary>The cursor as clients carry it: opaque, URL-safe.</summary>
    public override string ToString() =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Transaction}.{Position}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryParse(string? text, out EventCursor cursor)
    {
        cursor = Start;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
            var parts = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
            if (parts.Length == 2 && ulong.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var tx)
                && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position))
            {
                cursor = new EventCursor(tx, position);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

/// <summary>An event and its place in the log.</summary>
public sealed record StoredEvent(EventCursor Cursor, EngineEvent Event);

/// <summary>The durable event log (the outbox), read in commit order: by the feed for one creditor, by the relay for all.</summary>
public interface IEventLog
{
    /// <param name="creditorId">Null: every creditor's events (the relay).</param>
    /// <param name="types">Null or empty: every type.</param>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(string? creditorId, EventCursor after, IReadOnlyCollection<string>? types, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Keeps the read model's cases (<see cref="CaseSummary"/>) and the report counters, idempotently: a summary older than
/// the one held is ignored, and an event already counted counts no more.
/// </summary>
public interface ICaseSummaryWriter
{
    /// <summary>
    /// Stores the newest summary of one case's events unless a newer one (by <see cref="CaseSummary.Sequence"/>) is
    /// held, and counts in the reports those of its events not counted yet (all in one transaction on PostgreSQL);
    /// returns once it is durable. The events are one case's, in its order.
    /// </summary>
    Task ApplyAsync(string creditorId, IReadOnlyList<EngineEvent> caseEvents);

    /// <summary>Blanks what the read model holds of a debtor's personal data (the label and the debtor of its cases).</summary>
    Task EraseDebtorAsync(string creditorId, string debtorReference);
}

/// <summary>
/// A filter on the read model's cases, and where a page starts. <see cref="AmountFrom"/> and <see cref="AmountTo"/> bound
/// the amount claimed (the case's <see cref="CaseSummary.Amount"/>, fixed at intake), not the balance left: a billing
/// team sorts its bills by what they were for. They change no order: a list by reference stays by reference.
/// </summary>
public sealed record CaseQuery(
    CaseStatus? Status = null,
    string? Debtor = null,
    DateOnly? DueFrom = null,
    DateOnly? DueTo = null,
    DateTimeOffset? UpdatedSince = null,
    string? After = null,
    int Limit = CaseQuery.DefaultLimit,
    DateOnly? AfterDue = null,
    DateTimeOffset? AfterUpdated = null,
    DateTimeOffset? UpdatedUntil = null,
    decimal? AmountFrom = null,
    decimal? AmountTo = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// A list of the cases changed since a time goes by change time, then reference, up to <see cref="UpdatedUntil"/>:
    /// the time its first page was read, which every later page keeps (in its cursor). An index serves it in order, and
    /// a case changed during the walk moves past that bound instead of coming again: each case comes once, and what
    /// changed during the walk is for the next walk, from the last case's <c>updatedAt</c>.
    /// </summary>
    public bool ByUpdate => UpdatedSince is not null;

    /// <summary>
    /// A list filtered by due dates (and not by change time) goes by due date, then reference (<see cref="AfterDue"/>
    /// and <see cref="After"/> say where a page starts), so that an index serves it in order; any other list goes by reference.
    /// </summary>
    public bool ByDueDate => !ByUpdate && (DueFrom is not null || DueTo is not null);

    /// <summary>The same query from the case after <paramref name="last"/>, the last of a page.</summary>
    public CaseQuery Next(CaseSummary last) => this with
    {
        After = last.Reference,
        AfterDue = ByDueDate ? last.DueOn : null,
        AfterUpdated = ByUpdate ? last.UpdatedAt : null,
    };

    /// <summary>Whether <paramref name="c"/> comes after where this page starts, in the list's order.</summary>
    public bool Follows(CaseSummary c)
    {
        if (After is null)
        {
            return true;
        }

        var byReference = string.CompareOrdinal(c.Reference, After);
        if (ByUpdate)
        {
            var at = AfterUpdated ?? DateTimeOffset.MinValue;
            return c.UpdatedAt > at || (c.UpdatedAt == at && byReference > 0);
        }

        if (ByDueDate)
        {
            var due = AfterDue ?? DateOnly.MinValue;
            return c.DueOn > due || (c.DueOn == due && byReference > 0);
        }

        return byReference > 0;
    }
}

/// <summary>Reads the read model's cases in a stable order (by reference; by due date then reference when filtered by due dates; by change time then reference when filtered by change time), one page after the other.</summary>
public interface ICaseSummaryReader
{
    /// <summary>At most <see cref="CaseQuery.Limit"/> cases after where the query starts, in the query's order.</summary>
    Task<IReadOnlyList<CaseSummary>> ListAsync(string creditorId, CaseQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every case matching the query (its limit aside), in the query's order, with what the creditor fed (null once erased).</summary>
    IAsyncEnumerable<(CaseSummary Case, CaseParties? Parties)> ExportAsync(string creditorId, CaseQuery query, CancellationToken cancellationToken = default);
}
