namespace Recouvrement.Api.ReadSide;

/// <summary>
/// The embedded default's event log: the events every grain write carried, in the order they were written, kept in
/// this process's memory (like everything else in that mode).
/// </summary>
public sealed class MemoryEventLog : IEventLog
{
    private readonly Lock gate = new();
    private readonly List<StoredEvent> events = [];

    /// <summary>Appends a write's events; what the creditor fed about a new case stays out of the log.</summary>
    public void Append(IReadOnlyList<EngineEvent> written)
    {
        lock (gate)
        {
            foreach (var e in written)
            {
                events.Add(new StoredEvent(new EventCursor(0, events.Count + 1), e.Parties is null ? e : e with { Parties = null }));
            }
        }
    }

    public Task<IReadOnlyList<StoredEvent>> ReadAsync(string? creditorId, EventCursor after, IReadOnlyCollection<string>? types, int limit, CancellationToken cancellationToken = default)
    {
        var page = new List<StoredEvent>(Math.Min(limit, 1024));
        lock (gate)
        {
            // Positions are 1, 2, 3…: the event after position p is at index p.
            for (var i = (int)Math.Max(0, after.Position); i < events.Count && page.Count < limit; i++)
            {
                var e = events[i].Event;
                if ((creditorId is null || e.CreditorId == creditorId) && (types is not { Count: > 0 } || types.Contains(e.Type)))
                {
                    page.Add(events[i]);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<StoredEvent>>(page);
    }
}

/// <summary>
/// The embedded default's read model: each creditor's cases by reference, in memory, with the report counters the
/// same fold keeps as on PostgreSQL (<see cref="ReportFold"/>), under the same lock as the cases.
/// </summary>
public sealed class MemoryCaseSummaries : ICaseSummaryWriter, ICaseSummaryReader, Reports.IReportCounters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SortedDictionary<string, CaseSummary>> creditors = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Creditor, string Reference), CaseParties> parties = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<Reports.CounterKey, Reports.Counter>> counters = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Creditor, string Reference), Reports.CaseTally> tallies = new();

    public Task ApplyAsync(string creditorId, IReadOnlyList<EngineEvent> caseEvents)
    {
        var summary = caseEvents.Where(e => e.Summary is not null).Select(e => e.Summary!).MaxBy(s => s.Sequence);
        if (summary is null)
        {
            return Task.CompletedTask;
        }

        var cases = Of(creditorId);
        lock (cases)
        {
            Store(cases, summary);
            var key = (creditorId, summary.Reference);
            var (tally, changes) = Reports.ReportFold.Apply(tallies.GetValueOrDefault(key, Reports.CaseTally.None), caseEvents);
            tallies[key] = tally;
            var cells = counters.GetOrAdd(creditorId, _ => []);
            lock (cells)
            {
                foreach (var change in changes)
                {
                    cells[change.Key] = cells.TryGetValue(change.Key, out var held) ? held.Plus(change) : change;
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void Store(SortedDictionary<string, CaseSummary> cases, CaseSummary summary)
    {
        if (!cases.TryGetValue(summary.Reference, out var held) || held.Sequence < summary.Sequence)
        {
            cases[summary.Reference] = summary;
        }
    }

    /// <summary>A new case's row, with what the creditor fed, as storage writes it with the case (counted once its event comes).</summary>
    public void Create(string creditorId, CaseSummary summary, CaseParties fed)
    {
        parties[(creditorId, summary.Reference)] = fed;
        var cases = Of(creditorId);
        lock (cases)
        {
            Store(cases, summary);
        }
    }

    public Task<IReadOnlyList<Reports.Counter>> ReadAsync(string creditorId, string currency, IReadOnlyList<Reports.CounterRange> ranges, CancellationToken cancellationToken = default)
    {
        if (!counters.TryGetValue(creditorId, out var cells))
        {
            return Task.FromResult<IReadOnlyList<Reports.Counter>>([]);
        }

        lock (cells)
        {
            return Task.FromResult<IReadOnlyList<Reports.Counter>>([.. cells.Values.Where(c => c.Key.Currency == currency
                && (c.Count != 0 || c.Amount != 0 || c.Paid != 0 || c.Balance != 0)
                && ranges.Any(r => r.Figure == c.Key.Figure && c.Key.Day >= r.From && c.Key.Day <= r.To))]);
        }
    }

    public Task EraseDebtorAsync(string creditorId, string debtorReference)
    {
        foreach (var key in parties.Where(p => p.Key.Creditor == creditorId && p.Value.Debtor.Reference == debtorReference).Select(p => p.Key).ToList())
        {
            parties.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<(CaseSummary Case, CaseParties? Parties)> ExportAsync(string creditorId, CaseQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = query with { Limit = CaseQuery.MaxLimit };
        while (true)
        {
            var cases = await ListAsync(creditorId, page, cancellationToken);
            foreach (var c in cases)
            {
                yield return (c, parties.GetValueOrDefault((creditorId, c.Reference)));
            }

            if (cases.Count < page.Limit)
            {
                yield break;
            }

            page = page.Next(cases[^1]);
        }
    }

    private SortedDictionary<string, CaseSummary> Of(string creditorId) =>
        creditors.GetOrAdd(creditorId, _ => new SortedDictionary<string, CaseSummary>(StringComparer.Ordinal));

    public Task<IReadOnlyList<CaseSummary>> ListAsync(string creditorId, CaseQuery query, CancellationToken cancellationToken = default)
    {
        if (!creditors.TryGetValue(creditorId, out var cases))
        {
            return Task.FromResult<IReadOnlyList<CaseSummary>>([]);
        }

        lock (cases)
        {
            var matching = cases.Values.Where(c => CaseSummaryFilter.Matches(c, query) && query.Follows(c));
            IEnumerable<CaseSummary> ordered = query.ByUpdate
                ? matching.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Reference, StringComparer.Ordinal)
                : query.ByDueDate
                    ? matching.OrderBy(c => c.DueOn).ThenBy(c => c.Reference, StringComparer.Ordinal)
                    : matching;
            return Task.FromResult<IReadOnlyList<CaseSummary>>([.. ordered.Take(query.Limit)]);
        }
    }
}

/// <summary>What a <see cref="CaseQuery"/> keeps, written once for the in-memory read model (PostgreSQL says the same in SQL).</summary>
public static class CaseSummaryFilter
{
    public static bool Matches(CaseSummary c, CaseQuery q) =>
        (q.Status is null || c.Status == q.Status)
        && (q.Debtor is null || c.DebtorReference == q.Debtor)
        && (q.DueFrom is null || c.DueOn >= q.DueFrom)
        && (q.DueTo is null || c.DueOn <= q.DueTo)
        && (q.AmountFrom is null || c.Amount >= q.AmountFrom)
        && (q.AmountTo is null || c.Amount <= q.AmountTo)
        && (q.UpdatedSince is null || c.UpdatedAt >= q.UpdatedSince)
        && (q.UpdatedUntil is null || c.UpdatedAt <= q.UpdatedUntil);
}
