using System.Globalization;
using Npgsql;
using Recouvrement.Events;

namespace Recouvrement.Silo.Events;

/// <summary>
/// The relay's cursor in <c>recouvrement_event_cursors</c>, and its lease: a PostgreSQL advisory lock held on a
/// connection of its own, so that one silo relays at a time and another takes over when that silo (or its
/// connection) dies.
/// </summary>
public sealed class PostgresEventCursorStore(NpgsqlDataSource database, string serviceId, string name = "relay") : IEventCursorStore
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    public async Task<EventCursor> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT tx::text, position FROM recouvrement_event_cursors WHERE service_id = @service_id AND name = @name");
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new EventCursor(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1))
            : EventCursor.Start;
    }

    public async Task WriteAsync(EventCursor cursor, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO recouvrement_event_cursors (service_id, name, tx, position) VALUES (@service_id, @name, @tx::xid8, @position)
            ON CONFLICT (service_id, name) DO UPDATE SET tx = excluded.tx, position = excluded.position, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        command.Parameters.Add(new NpgsqlParameter<string>("tx", cursor.Transaction.ToString(CultureInfo.InvariantCulture)));
        command.Parameters.Add(new NpgsqlParameter<long>("position", cursor.Position));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = await database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext(@key))", connection);
                command.Parameters.Add(new NpgsqlParameter<string>("key", $"recouvrement:{name}:{serviceId}"));
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return new Lease(connection);
                }
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            await connection.DisposeAsync();
            await Task.Delay(Retry, cancellationToken);
        }
    }

    /// <summary>Holds the lock as long as its connection lives; unlocked before the connection goes back to the pool.</summary>
    private sealed class Lease(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await unlock.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The connection broke: the server released the lock with it.
            }

            await connection.DisposeAsync();
        }
    }
}
