using Npgsql;
using NpgsqlTypes;
using Recouvrement.Api.Reports;
using Recouvrement.Cases;
using Recouvrement.Events;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// The report counters in PostgreSQL: the cases' tallies in their read-model rows (<c>counted_sequence</c>,
/// <c>reached_stage</c>, <c>last_channel</c>) and the cells of <c>recouvrement_report_counters</c> (schema 0008).
/// </summary>
public static class ReportCounterRows
{
    /// <summary>
    /// The tallies of the given cases, their rows locked until the transaction ends (in key order, as every writer
    /// locks them), so that two writers never count the same events.
    /// </summary>
    public static async Task<Dictionary<(string CreditorId, string Reference), CaseTally>> LockTalliesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string serviceId, IReadOnlyList<(string CreditorId, string Reference)> cases)
    {
        await using var command = new NpgsqlCommand("""
            SELECT s.creditor_id, s.reference, s.counted_sequence, s.reached_stage, s.last_channel,
                   s.debtor_reference, s.status, s.stage, s.amount, s.paid, s.balance, s.currency, s.issued_on, s.due_on, s.last_event,
                   s.created_at, s.updated_at, s.sequence
            FROM recouvrement_case_summary s
            JOIN unnest(@creditor_ids, @references) AS u(creditor_id, reference)
              ON s.service_id = @service_id AND s.creditor_id = u.creditor_id AND s.reference = u.reference
            ORDER BY s.creditor_id, s.reference
            FOR UPDATE OF s
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("creditor_ids", [.. cases.Select(c => c.CreditorId)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("references", [.. cases.Select(c => c.Reference)]));
        var tallies = new Dictionary<(string, string), CaseTally>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var counted = reader.GetInt64(2);
            var summary = counted == 0 ? null : new CaseSummary(
                reader.GetString(1), reader.GetString(5), CaseStatuses.Parse(reader.GetString(6)), reader.GetInt32(7),
                reader.GetDecimal(8), reader.GetDecimal(9), reader.GetDecimal(10), reader.GetString(11),
                reader.GetFieldValue<DateOnly>(12), reader.GetFieldValue<DateOnly>(13), null, null, reader.GetString(14),
                reader.GetFieldValue<DateTimeOffset>(15), reader.GetFieldValue<DateTimeOffset>(16), reader.GetInt64(17));
            tallies[(reader.GetString(0), reader.GetString(1))] = new CaseTally(counted, summary, reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        return tallies;
    }

    /// <summary>Moves the cases' tallies (their rows exist: the summaries were upserted before, in the same transaction).</summary>
    public static async Task WriteTalliesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serviceId,
        IReadOnlyList<(string CreditorId, string Reference, CaseTally Tally)> tallies)
    {
        if (tallies.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            UPDATE recouvrement_case_summary s
            SET counted_sequence = u.counted, reached_stage = u.reached, last_channel = u.channel
            FROM unnest(@creditor_ids, @references, @counted, @reached, @channels) AS u(creditor_id, reference, counted, reached, channel)
            WHERE s.service_id = @service_id AND s.creditor_id = u.creditor_id AND s.reference = u.reference AND s.counted_sequence < u.counted
            """, connection, transaction);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", serviceId));
        p.Add(new NpgsqlParameter<string[]>("creditor_ids", [.. tallies.Select(t => t.CreditorId)]));
        p.Add(new NpgsqlParameter<string[]>("references", [.. tallies.Select(t => t.Reference)]));
        p.Add(new NpgsqlParameter<long[]>("counted", [.. tallies.Select(t => t.Tally.Sequence)]));
        p.Add(new NpgsqlParameter<int[]>("reached", [.. tallies.Select(t => t.Tally.Reached)]));
        p.Add(new NpgsqlParameter<string?[]>("channels", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. tallies.Select(t => t.Tally.LastChannel)] });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Adds the changes to their cells, in the cells' order (<see cref="ReportFold.Merge"/>), so writers never deadlock on them.</summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serviceId, IReadOnlyList<(string CreditorId, Counter Change)> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO recouvrement_report_counters AS c (service_id, creditor_id, currency, figure, day, label, n, count, amount, paid, balance)
            SELECT @service_id, u.creditor_id, u.currency, u.figure, u.day, u.label, u.n, u.count, u.amount, u.paid, u.balance
            FROM unnest(@creditor_ids, @currencies, @figures, @days, @labels, @ns, @counts, @amounts, @paid, @balances) WITH ORDINALITY
                AS u(creditor_id, currency, figure, day, label, n, count, amount, paid, balance, rank)
            ORDER BY u.rank
            ON CONFLICT (service_id, creditor_id, currency, figure, day, label, n) DO UPDATE SET
                count = c.count + excluded.count, amount = c.amount + excluded.amount, paid = c.paid + excluded.paid, balance = c.balance + excluded.balance
            """, connection, transaction);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", serviceId));
        p.Add(new NpgsqlParameter<string[]>("creditor_ids", [.. changes.Select(c => c.CreditorId)]));
        p.Add(new NpgsqlParameter<string[]>("currencies", [.. changes.Select(c => c.Change.Key.Currency)]));
        p.Add(new NpgsqlParameter<string[]>("figures", [.. changes.Select(c => c.Change.Key.Figure)]));
        p.Add(new NpgsqlParameter<DateOnly[]>("days", [.. changes.Select(c => c.Change.Key.Day)]));
        p.Add(new NpgsqlParameter<string[]>("labels", [.. changes.Select(c => c.Change.Key.Label)]));
        p.Add(new NpgsqlParameter<int[]>("ns", [.. changes.Select(c => c.Change.Key.N)]));
        p.Add(new NpgsqlParameter<long[]>("counts", [.. changes.Select(c => c.Change.Count)]));
        p.Add(new NpgsqlParameter<decimal[]>("amounts", [.. changes.Select(c => c.Change.Amount)]));
        p.Add(new NpgsqlParameter<decimal[]>("paid", [.. changes.Select(c => c.Change.Paid)]));
        p.Add(new NpgsqlParameter<decimal[]>("balances", [.. changes.Select(c => c.Change.Balance)]));
        await command.ExecuteNonQueryAsync();
    }
}
