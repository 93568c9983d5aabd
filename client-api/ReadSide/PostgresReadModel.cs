using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Recouvrement.Api.ReadSide;

/// <summary>
/// The event log in PostgreSQL (<c>recouvrement_events</c>, written in the same transaction as the grain states that
/// caused the events). Read in (transaction id, position) order and only up to the oldest transaction still running
/// (<c>pg_snapshot_xmin</c>): an event whose transaction commits after a later-numbered one is never passed over.
/// </summary>
public sealed class PostgresEventLog(NpgsqlDataSource database, string serviceId) : IEventLog
{
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(string? creditorId, EventCursor after, IReadOnlyCollection<string>? types, int limit, CancellationToken cancellationToken = default)
    {
        // The transaction id is read as text under another name: ORDER BY tx would otherwise sort by the output column,
        // as text, where "1010" comes before "750", and the cursor of a page would pass over events not yet read.
        await using var command = database.CreateCommand($"""
            SELECT tx::text AS tx_text, position, event_id, type, creditor_id, case_reference, debtor_reference, occurred_at, sequence, data, summary
            FROM recouvrement_events
            WHERE service_id = @service_id
              {(creditorId is null ? string.Empty : "AND creditor_id = @creditor_id")}
              AND (tx, position) > (@tx::xid8, @position)
              AND tx < pg_snapshot_xmin(pg_current_snapshot())
              {(types is { Count: > 0 } ? "AND type = ANY(@types)" : string.Empty)}
            ORDER BY tx, position
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        if (creditorId is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("creditor_id", creditorId));
        }

        command.Parameters.Add(new NpgsqlParameter<string>("tx", after.Transaction.ToString(CultureInfo.InvariantCulture)));
        command.Parameters.Add(new NpgsqlParameter<long>("position", after.Position));
        if (types is { Count: > 0 })
        {
            command.Parameters.Add(new NpgsqlParameter<string[]>("types", [.. types]));
        }

        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var page = new List<StoredEvent>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cursor = new EventCursor(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1));
            var e = new EngineEvent(
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.GetInt64(8), reader.GetString(9),
                reader.IsDBNull(10) ? null : JsonSerializer.Deserialize<CaseSummary>(reader.GetString(10), EventData.Options));
            page.Add(new StoredEvent(cursor, e));
        }

        return page;
    }
}

/// <summary>The read model's cases in PostgreSQL (<c>recouvrement_case_summary</c>), filtered in SQL, in the query's order (each served by an index of schema 0007).</summary>
public sealed class PostgresCaseSummaryReader(NpgsqlDataSource database, string serviceId) : ICaseSummaryReader
{
    private const string SummaryColumns = """
        reference, debtor_reference, status, stage, amount, paid, balance, currency, issued_on, due_on,
        next_step_at, next_action, last_event, created_at, updated_at, sequence
        """;

    private const string PartyColumns = "label, debtor_kind, debtor_name, email, phone, address_line1, postal_code, city, country, language";

    public async Task<IReadOnlyList<CaseSummary>> ListAsync(string creditorId, CaseQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = Select(SummaryColumns, creditorId, query, limited: true);
        var page = new List<CaseSummary>(query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(Summary(reader));
        }

        return page;
    }

    public async IAsyncEnumerable<(CaseSummary Case, CaseParties? Parties)> ExportAsync(string creditorId, CaseQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One query, read as it streams: the rows go out as PostgreSQL sends them, however many there are.
        await using var command = Select($"{SummaryColumns}, {PartyColumns}", creditorId, query, limited: false);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var summary = Summary(reader);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var (label, kind, name, email, phone, line1, postal, city, country, language) =
                (Text(16), Text(17), Text(18), Text(19), Text(20), Text(21), Text(22), Text(23), Text(24), Text(25));
            var parties = name is null ? null : new CaseParties(label, new DebtorDetails(summary.DebtorReference,
                kind == "business" ? DebtorKind.Business : DebtorKind.Consumer, name, email, phone,
                line1 is null ? null : new PostalAddress(line1, postal ?? string.Empty, city ?? string.Empty, country ?? "FR"), language));
            yield return (summary, parties);
        }
    }

    private NpgsqlCommand Select(string columns, string creditorId, CaseQuery query, bool limited)
    {
        var command = database.CreateCommand($"""
            SELECT {columns}
            FROM recouvrement_case_summary
            WHERE service_id = @service_id AND creditor_id = @creditor_id
              {(query.After is null ? string.Empty
                  : query.ByUpdate ? "AND (updated_at, reference) > (@after_updated, @after)"
                  : query.ByDueDate ? "AND (due_on, reference) > (@after_due, @after)"
                  : "AND reference > @after")}
              {(query.Status is null ? string.Empty : "AND status = @status")}
              {(query.Debtor is null ? string.Empty : "AND debtor_reference = @debtor")}
              {(query.DueFrom is null ? string.Empty : "AND due_on >= @due_from")}
              {(query.DueTo is null ? string.Empty : "AND due_on <= @due_to")}
              {(query.AmountFrom is null ? string.Empty : "AND amount >= @amount_from")}
              {(query.AmountTo is null ? string.Empty : "AND amount <= @amount_to")}
              {(query.UpdatedSince is null ? string.Empty : "AND updated_at >= @updated_since")}
              {(query.UpdatedUntil is null ? string.Empty : "AND updated_at <= @updated_until")}
            ORDER BY {(query.ByUpdate ? "updated_at, reference" : query.ByDueDate ? "due_on, reference" : "reference")}
            {(limited ? "LIMIT @limit" : string.Empty)}
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", serviceId));
        p.Add(new NpgsqlParameter<string>("creditor_id", creditorId));
        if (query.After is { } after) p.Add(new NpgsqlParameter<string>("after", after));
        if (query.After is not null && query.ByDueDate) p.Add(new NpgsqlParameter<DateOnly>("after_due", query.AfterDue ?? DateOnly.MinValue));
        if (query.After is not null && query.ByUpdate) p.Add(new NpgsqlParameter<DateTimeOffset>("after_updated", (query.AfterUpdated ?? DateTimeOffset.MinValue).ToUniversalTime()));
        if (query.Status is { } status) p.Add(new NpgsqlParameter<string>("status", CaseStatuses.Wire(status)));
        if (query.Debtor is { } debtor) p.Add(new NpgsqlParameter<string>("debtor", debtor));
        if (query.DueFrom is { } from) p.Add(new NpgsqlParameter<DateOnly>("due_from", from));
        if (query.DueTo is { } to) p.Add(new NpgsqlParameter<DateOnly>("due_to", to));
        if (query.AmountFrom is { } least) p.Add(new NpgsqlParameter<decimal>("amount_from", least));
        if (query.AmountTo is { } most) p.Add(new NpgsqlParameter<decimal>("amount_to", most));
        if (query.UpdatedSince is { } since) p.Add(new NpgsqlParameter<DateTimeOffset>("updated_since", since.ToUniversalTime()));
        if (query.UpdatedUntil is { } until) p.Add(new NpgsqlParameter<DateTimeOffset>("updated_until", until.ToUniversalTime()));
        if (limited) p.Add(new NpgsqlParameter<int>("limit", query.Limit));
        return command;
    }

    private static CaseSummary Summary(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), CaseStatuses.Parse(reader.GetString(2)), reader.GetInt32(3),
        reader.GetDecimal(4), reader.GetDecimal(5), reader.GetDecimal(6), reader.GetString(7),
        reader.GetFieldValue<DateOnly>(8), reader.GetFieldValue<DateOnly>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.GetString(12), reader.GetFieldValue<DateTimeOffset>(13), reader.GetFieldValue<DateTimeOffset>(14), reader.GetInt64(15));
}
