using Npgsql;

namespace Recouvrement.Api.Statements;

/// <summary>The payments recorded for a creditor between two instants, read from the event log.</summary>
public interface IPaymentRecords
{
    Task<IReadOnlyList<PaymentRecord>> ListAsync(string creditorId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

/// <summary>
/// The payments in PostgreSQL's event log, by the partial index on payment events (schema 0006): a month's statement
/// reads that month's payments only, however long the creditor's history.
/// </summary>
public sealed class PostgresPaymentRecords(NpgsqlDataSource database, string serviceId) : IPaymentRecords
{
    public async Task<IReadOnlyList<PaymentRecord>> ListAsync(string creditorId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT event_id, type, creditor_id, case_reference, debtor_reference, occurred_at, sequence, data
            FROM recouvrement_events
            WHERE service_id = @service_id AND creditor_id = @creditor_id AND type = 'case.payment_received'
              AND occurred_at >= @from AND occurred_at < @to
            ORDER BY occurred_at, position
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string>("creditor_id", creditorId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
        var records = new List<PaymentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var e = new EngineEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(6), reader.GetString(7));
            if (PaymentRecord.Of(e) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }
}

/// <summary>The payments of any event log, read through it (the embedded default's, in memory): a walk of the creditor's payment events.</summary>
public sealed class EventLogPaymentRecords(IEventLog log) : IPaymentRecords
{
    private static readonly string[] Types = [EventTypes.PaymentReceived];

    public async Task<IReadOnlyList<PaymentRecord>> ListAsync(string creditorId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var records = new List<PaymentRecord>();
        var after = EventCursor.Start;
        while (true)
        {
            var page = await log.ReadAsync(creditorId, after, Types, 1000, cancellationToken);
            records.AddRange(page.Where(s => s.Event.OccurredAt >= from && s.Event.OccurredAt < to).Select(s => PaymentRecord.Of(s.Event)).OfType<PaymentRecord>());
            if (page.Count < 1000)
            {
                return records;
            }

            after = page[^1].Cursor;
        }
    }
}
