using Npgsql;

namespace Recouvrement.Api.Reports;

/// <summary>The report counters in PostgreSQL (<c>recouvrement_report_counters</c>): one indexed read of a few cells per report.</summary>
public sealed class PostgresReportCounters(NpgsqlDataSource database, string serviceId) : IReportCounters
{
    public async Task<IReadOnlyList<Counter>> ReadAsync(string creditorId, string currency, IReadOnlyList<CounterRange> ranges, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT c.figure, c.day, c.label, c.n, c.count, c.amount, c.paid, c.balance
            FROM unnest(@figures, @froms, @tos) AS r(figure, day_from, day_to)
            JOIN recouvrement_report_counters c
              ON c.service_id = @service_id AND c.creditor_id = @creditor_id AND c.currency = @currency
             AND c.figure = r.figure AND c.day BETWEEN r.day_from AND r.day_to
            WHERE c.count <> 0 OR c.amount <> 0 OR c.paid <> 0 OR c.balance <> 0
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", serviceId));
        p.Add(new NpgsqlParameter<string>("creditor_id", creditorId));
        p.Add(new NpgsqlParameter<string>("currency", currency));
        p.Add(new NpgsqlParameter<string[]>("figures", [.. ranges.Select(r => r.Figure)]));
        p.Add(new NpgsqlParameter<DateOnly[]>("froms", [.. ranges.Select(r => r.From)]));
        p.Add(new NpgsqlParameter<DateOnly[]>("tos", [.. ranges.Select(r => r.To)]));
        var cells = new List<Counter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cells.Add(new Counter(
                new CounterKey(currency, reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetInt32(3)),
                reader.GetInt64(4), reader.GetDecimal(5), reader.GetDecimal(6), reader.GetDecimal(7)));
        }

        return cells;
    }
}
