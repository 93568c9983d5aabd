using System.Text;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Storage;

namespace Recouvrement.Silo.Storage;

// The one place that knows how the Orleans ADO.NET providers lay out their rows in orleans_grain_state and
// orleans_reminder, for the code that writes or reads many at once instead of one by one through them: the group
// commit (GroupCommitGrainStorage, GroupCommitReminderTable) and the bulk intake (PostgresCaseBulkStore). Every
// statement outside the providers that writes those tables, or reads a grain's state or a reminder, is here (the
// census and the legacy key import only count and list rows, by our own column and the key). The contract test,
// OrleansRowFormatContractTests, writes rows this way and reads them back through the providers themselves, and the
// other way round: run it on every Orleans upgrade.

/// <summary>
/// A grain's row of <c>orleans_grain_state</c>: its key, the provider's two hashes, the serialized state, and the
/// state's census label (<see cref="Recouvrement.Hosting.ICensusState"/>), kept in our own column <c>census_label</c>.
/// </summary>
public sealed record GrainStateRow(string StateName, GrainId GrainId, string Key, int IdHash, int TypeHash, byte[] Payload, string? Label = null);

/// <summary>
/// Reads and writes rows of <c>orleans_grain_state</c> exactly as the Orleans ADO.NET storage provider does, many at
/// once (<see cref="GroupCommitGrainStorage"/>, <see cref="PostgresCaseBulkStore"/>): the state serialized by the
/// provider's serializer, the key and state name hashed by its hasher, version 1 for a new row and one more for each
/// write after (the version is the ETag). Only grains with a plain string key; the provider hashes other keys differently.
/// </summary>
/// <param name="serializer">
/// Orleans' serializer, when there is one: with Orleans' binary storage serializer (the one the silo configures), a
/// state is then serialized into a pooled buffer and copied once into an array of its size, instead of into a new
/// buffer that grows as it is written and is then copied; the bytes are the same.
/// </param>
public sealed class GrainStateTable(AdoNetGrainStorageOptions options, string serviceId, string providerName, Orleans.Serialization.Serializer? serializer = null)
{
    /// <summary>Matches <c>orleans_grain_state AS s</c> to the rows of <see cref="AddKeys"/> unnested as <c>u</c>.</summary>
    public const string KeyMatch = """
        s.grain_id_hash = u.id_hash
        AND s.grain_type_hash = u.type_hash
        AND s.grain_id_n0 = 0
        AND s.grain_id_n1 = 0
        AND s.service_id = @service_id
        AND s.grain_type = u.grain_type
        AND s.grain_id_extension = u.grain_key
        """;

    /// <summary>The UTF-8 of each state name, which is hashed for every row: encoded once (the hashers only read it).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> StateNameBytes = new();

    private readonly IStorageHasherPicker hashing = options.HashPicker ?? new StorageHasherPicker([new OrleansDefaultHasher()]);

    public GrainStateRow Row<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        KeyOf(stateName, grainId, grainState) with
        {
            Payload = Serialize(grainState.State),
            Label = grainState.State is Recouvrement.Hosting.ICensusState census ? census.CensusLabel : null,
        };

    internal byte[] Serialize<T>(T state) =>
        serializer is not null && options.GrainStorageSerializer is OrleansGrainStorageSerializer
            ? serializer.SerializeToArray(state)
            : Bytes(options.GrainStorageSerializer.Serialize(state));

    /// <summary>The serialized state's own array when it is one, rather than <see cref="BinaryData.ToArray"/>'s copy of it.</summary>
    private static byte[] Bytes(BinaryData data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    /// <summary>The row's key and hashes, with no payload: what a read looks up.</summary>
    public GrainStateRow KeyOf<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString()!;
        var hasher = hashing.PickHasher(serviceId, providerName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException("the grain storage has no hasher for this state");
        return new GrainStateRow(stateName, grainId, key, hasher.Hash(KeyHashBytes(key)), hasher.Hash(StateNameBytes.GetOrAdd(stateName, Encoding.UTF8.GetBytes)), []);
    }

    /// <summary>Sets a grain state from its row as the ADO.NET provider does: no row or no payload is a new state.</summary>
    public void Apply<T>(IGrainState<T> grainState, byte[]? payload, int? version)
    {
        grainState.State = payload is null ? Activator.CreateInstance<T>() : options.GrainStorageSerializer.Deserialize<T>(new BinaryData(payload))!;
        grainState.ETag = version?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
    }

    /// <summary>
    /// Reads the rows of many keys in one query, one index lookup per key (a lateral join, so that the planner never
    /// scans the table however many keys come); for each key its payload and version, or nulls where there is no row.
    /// </summary>
    public async Task<(byte[]? Payload, int? Version)[]> ReadAsync(NpgsqlConnection connection, IReadOnlyList<GrainStateRow> keys, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT u.slot, s.payload, s.version
            FROM unnest(@types, @keys, @id_hashes, @type_hashes, @slots) AS u(grain_type, grain_key, id_hash, type_hash, slot)
            CROSS JOIN LATERAL (
                SELECT s.payload, s.version FROM orleans_grain_state AS s WHERE {KeyMatch}
            ) AS s
            """, connection);
        AddKeys(command, keys);
        command.Parameters.Add(new NpgsqlParameter<int[]>("slots", [.. Enumerable.Range(0, keys.Count)]));
        var rows = new (byte[]?, int?)[keys.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetInt32(0)] = (reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetInt32(2));
        }

        return rows;
    }

    /// <summary>
    /// The bytes the ADO.NET storage provider hashes for a grain with a plain string key: the key in UTF-8,
    /// byte-reversed on little-endian machines.
    /// </summary>
    internal static byte[] KeyHashBytes(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }

    /// <summary>Adds <c>@service_id</c> and the key arrays <c>@types</c>, <c>@keys</c>, <c>@id_hashes</c>, <c>@type_hashes</c>.</summary>
    public void AddKeys(NpgsqlCommand command, IReadOnlyList<GrainStateRow> rows)
    {
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("types", [.. rows.Select(r => r.StateName)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", [.. rows.Select(r => r.Key)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("id_hashes", [.. rows.Select(r => r.IdHash)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("type_hashes", [.. rows.Select(r => r.TypeHash)]));
    }

    /// <summary>Adds the key arrays, <c>@payloads</c> and <c>@labels</c>.</summary>
    public void AddRows(NpgsqlCommand command, IReadOnlyList<GrainStateRow> rows)
    {
        AddKeys(command, rows);
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.Payload)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("labels", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. rows.Select(r => r.Label)] });
    }

    /// <summary>Inserts at version 1 every row whose grain has none yet; returns the (state name, key) of those inserted.</summary>
    public async Task<HashSet<(string StateName, string Key)>> InsertNewAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<GrainStateRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO orleans_grain_state
                (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1,
                 grain_type, grain_id_extension, payload, version, census_label)
            SELECT @service_id, u.type_hash, u.id_hash, 0, 0, u.grain_type, u.grain_key, u.payload, 1, u.label
            FROM unnest(@types, @keys, @id_hashes, @type_hashes, @payloads, @labels) AS u(grain_type, grain_key, id_hash, type_hash, payload, label)
            ON CONFLICT DO NOTHING
            RETURNING grain_type, grain_id_extension
            """, connection, transaction);
        AddRows(command, rows);
        var inserted = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add((reader.GetString(0), reader.GetString(1)));
        }

        return inserted;
    }

    /// <summary>
    /// Writes each row over the one at its expected version, and moves it to the next; returns each row's new version,
    /// or null where the stored version was another (a conflict, as the provider reports one).
    /// </summary>
    public async Task<int?[]> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(GrainStateRow Row, int Expected)> writes, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE orleans_grain_state AS s
            SET payload = u.payload, census_label = u.label, version = s.version + 1, modified_on = now()
            FROM unnest(@types, @keys, @id_hashes, @type_hashes, @payloads, @labels, @slots, @versions)
                 AS u(grain_type, grain_key, id_hash, type_hash, payload, label, slot, expected)
            WHERE {KeyMatch}
              AND s.version = u.expected
            RETURNING u.slot, s.version
            """, connection, transaction);
        AddRows(command, [.. writes.Select(w => w.Row)]);
        command.Parameters.Add(new NpgsqlParameter<int[]>("slots", [.. Enumerable.Range(0, writes.Count)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("versions", [.. writes.Select(w => w.Expected)]));
        var versions = new int?[writes.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions[reader.GetInt32(0)] = reader.GetInt32(1);
        }

        return versions;
    }

    /// <summary>Deletes the rows of these keys, whatever their version (the bulk intake taking back what it just inserted).</summary>
    public async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<GrainStateRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            DELETE FROM orleans_grain_state AS s
            USING unnest(@types, @keys, @id_hashes, @type_hashes) AS u(grain_type, grain_key, id_hash, type_hash)
            WHERE {KeyMatch}
            """, connection, transaction);
        AddKeys(command, rows);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A reminder's row of <c>orleans_reminder</c>, as the ADO.NET reminder table keys it: grain, name, first tick (UTC), period.</summary>
public sealed record ReminderRow(GrainId GrainId, string Name, DateTime StartAt, TimeSpan Period);

/// <summary>
/// Reads and writes rows of <c>orleans_reminder</c> exactly as the Orleans ADO.NET reminder table does (the
/// <c>UpsertReminderRowKey</c>, <c>DeleteReminderRowKey</c> and <c>ReadReminderRowKey</c> queries of the schema),
/// many at once: keyed by the grain id as text and the reminder's name, the grain's uniform hash as an int4 (which
/// the reminder service's range reads select on), the period in milliseconds, version 1 for a new row and one more
/// for each upsert after (the version is the ETag).
/// </summary>
public sealed class ReminderTableRows(string serviceId)
{
    /// <summary>The row key the ADO.NET reminder table uses for a grain: its id as text.</summary>
    public static string Key(GrainId grainId) => grainId.ToString();

    /// <summary>The ring hash the ADO.NET reminder table stores for a grain: its uniform hash, as int4.</summary>
    public static int Hash(GrainId grainId) => unchecked((int)grainId.GetUniformHashCode());

    /// <summary>
    /// Inserts each reminder or moves the one that exists (new start and period, next version); the reminders must be
    /// distinct. Returns the version each one has now, in order.
    /// </summary>
    public async Task<int[]> UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ReminderRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO orleans_reminder AS r
                (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
            SELECT @service_id, u.grain_id, u.reminder_name, u.start_time, u.period, u.grain_hash, 1
            FROM unnest(@grain_ids, @names, @start_times, @periods, @grain_hashes) AS u(grain_id, reminder_name, start_time, period, grain_hash)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
            SET start_time = excluded.start_time,
                period = excluded.period,
                grain_hash = excluded.grain_hash,
                version = r.version + 1
            RETURNING r.grain_id, r.reminder_name, r.version
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. rows.Select(r => Key(r.GrainId))]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", [.. rows.Select(r => r.Name)]));
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("start_times", [.. rows.Select(r => Utc(r.StartAt))]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("periods", [.. rows.Select(r => (long)r.Period.TotalMilliseconds)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("grain_hashes", [.. rows.Select(r => Hash(r.GrainId))]));
        var slots = Enumerable.Range(0, rows.Count).ToDictionary(i => (Key(rows[i].GrainId), rows[i].Name));
        var versions = new int[rows.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions[slots[(reader.GetString(0), reader.GetString(1))]] = reader.GetInt32(2);
        }

        return versions;
    }

    /// <summary>Removes each reminder that is at its expected version; returns, in order, whether it was.</summary>
    public async Task<bool[]> RemoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(GrainId GrainId, string Name, int Expected)> removals, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM orleans_reminder AS r
            USING unnest(@grain_ids, @names, @versions, @slots) AS u(grain_id, reminder_name, version, slot)
            WHERE r.service_id = @service_id
              AND r.grain_id = u.grain_id
              AND r.reminder_name = u.reminder_name
              AND r.version = u.version
            RETURNING u.slot
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. removals.Select(r => Key(r.GrainId))]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", [.. removals.Select(r => r.Name)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("versions", [.. removals.Select(r => r.Expected)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("slots", [.. Enumerable.Range(0, removals.Count)]));
        var removed = new bool[removals.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            removed[reader.GetInt32(0)] = true;
        }

        return removed;
    }

    /// <summary>Reads many reminders in one query, one index lookup each; an entry as the ADO.NET table gives it, or null where there is none.</summary>
    public async Task<ReminderEntry?[]> ReadAsync(NpgsqlConnection connection, IReadOnlyList<(GrainId GrainId, string Name)> keys, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT u.slot, r.start_time, r.period, r.version
            FROM unnest(@grain_ids, @names, @slots) AS u(grain_id, reminder_name, slot)
            CROSS JOIN LATERAL (
                SELECT r.start_time, r.period, r.version FROM orleans_reminder AS r
                WHERE r.service_id = @service_id AND r.grain_id = u.grain_id AND r.reminder_name = u.reminder_name
            ) AS r
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. keys.Select(k => Key(k.GrainId))]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", [.. keys.Select(k => k.Name)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("slots", [.. Enumerable.Range(0, keys.Count)]));
        var entries = new ReminderEntry?[keys.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var slot = reader.GetInt32(0);
            entries[slot] = new ReminderEntry
            {
                GrainId = keys[slot].GrainId,
                ReminderName = keys[slot].Name,
                StartAt = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(2)),
                ETag = reader.GetInt32(3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        return entries;
    }

    private static DateTime Utc(DateTime at) => at.Kind == DateTimeKind.Utc ? at : DateTime.SpecifyKind(at, DateTimeKind.Utc);
}
