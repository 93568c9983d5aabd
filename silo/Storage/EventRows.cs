using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Recouvrement.Events;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Inserts events into <c>recouvrement_events</c> inside a caller's transaction: the one that writes the grain states
/// the events come from (group commit, bulk intake), so that both are stored together or not at all. A creation's
/// event also inserts the case's row of the read model, with what the creditor fed, which the log never holds.
/// </summary>
public static class EventRows
{
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serviceId, IReadOnlyList<EngineEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO recouvrement_events
                (service_id, creditor_id, event_id, type, case_reference, debtor_reference, occurred_at, sequence, data, summary)
            SELECT @service_id, u.creditor_id, u.event_id, u.type, u.case_reference, u.debtor_reference, u.occurred_at, u.sequence, u.data::json, u.summary::json
            FROM unnest(@creditor_ids, @event_ids, @types, @case_references, @debtor_references, @occurred_at, @sequences, @data, @summaries)
                AS u(creditor_id, event_id, type, case_reference, debtor_reference, occurred_at, sequence, data, summary)
            """, connection, transaction);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", serviceId));
        p.Add(new NpgsqlParameter<string[]>("creditor_ids", [.. events.Select(e => e.CreditorId)]));
        p.Add(new NpgsqlParameter<string[]>("event_ids", [.. events.Select(e => e.Id)]));
        p.Add(new NpgsqlParameter<string[]>("types", [.. events.Select(e => e.Type)]));
        p.Add(new NpgsqlParameter<string?[]>("case_references", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. events.Select(e => e.CaseReference)] });
        p.Add(new NpgsqlParameter<string[]>("debtor_references", [.. events.Select(e => e.DebtorReference)]));
        p.Add(new NpgsqlParameter<DateTimeOffset[]>("occurred_at", [.. events.Select(e => e.OccurredAt.ToUniversalTime())]));
        p.Add(new NpgsqlParameter<long[]>("sequences", [.. events.Select(e => e.Sequence)]));
        p.Add(new NpgsqlParameter<string[]>("data", [.. events.Select(e => e.Data)]));
        p.Add(new NpgsqlParameter<string?[]>("summaries", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. events.Select(e => e.Summary is null ? null : JsonSerializer.Serialize(e.Summary, EventData.Options))],
        });
        await command.ExecuteNonQueryAsync(cancellationToken);

        // A case's creation also inserts its row of the read model, with what the creditor fed (never in the log).
        await CaseSummaryRows.InsertCreatedAsync(connection, transaction, serviceId,
            [.. events.Where(e => e is { Summary: not null, Parties: not null }).Select(e => (e.CreditorId, e.Summary!, e.Parties!))], cancellationToken);
    }
}
