using Npgsql;
using Recouvrement.Api.ReadSide;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>The PostgreSQL event log read in commit order, whatever the number of digits of the transaction ids.</summary>
public sealed class EventLogOrderTests
{
    [Fact]
    public async Task Events_come_in_transaction_order_when_the_ids_cross_a_power_of_ten_and_pages_miss_none()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            var schema = await File.ReadAllTextAsync(Path.Combine(PostgresServer.RepositoryRoot(), "silo", "Storage", "Schema", "0004_case_events.sql"));
            await using var create = new NpgsqlCommand(schema, connection);
            await create.ExecuteNonQueryAsync();
            // Transaction ids below any a fresh server still runs, in the order 9, 10, 100 (as text: 10, 100, 9).
            await using var insert = new NpgsqlCommand("""
                INSERT INTO recouvrement_events (tx, service_id, creditor_id, event_id, type, case_reference, debtor_reference, occurred_at, sequence, data)
                SELECT t.tx::xid8, 'svc', 'lab', 'evt_' || t.tx, 'case.created', 'C' || t.tx, 'D', now(), 1, '{}'
                FROM (VALUES ('100'), ('9'), ('10')) AS t(tx)
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        var log = new PostgresEventLog(database.DataSource, "svc");
        var all = await log.ReadAsync("lab", Events.EventCursor.Start, null, 10);
        Assert.Equal(["C9", "C10", "C100"], all.Select(e => e.Event.CaseReference));

        var paged = new List<string?>();
        var cursor = Events.EventCursor.Start;
        for (var page = await log.ReadAsync("lab", cursor, null, 1); page.Count > 0; page = await log.ReadAsync("lab", cursor, null, 1))
        {
            paged.AddRange(page.Select(e => e.Event.CaseReference));
            cursor = page[^1].Cursor;
        }

        Assert.Equal(["C9", "C10", "C100"], paged);
    }
}
