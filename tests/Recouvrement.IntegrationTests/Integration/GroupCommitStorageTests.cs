using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Recouvrement.Silo.Storage;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// The group commit on a real PostgreSQL with the project's schema: versions behave exactly as the ADO.NET
/// provider's (a stale or doubled first write is refused), writes waiting together share transactions, and grouped
/// reads give back what was written.
/// </summary>
public sealed class GroupCommitStorageTests
{
    [Fact]
    public async Task Writes_keep_the_providers_version_rules_and_share_transactions()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance).StartAsync(CancellationToken.None);
        var options = new AdoNetGrainStorageOptions { GrainStorageSerializer = new Utf8Serializer() };
        await using var storage = new GroupCommitGrainStorage(new NoReads(), database.DataSource, options, "svc",
            new StorageWriteOptions { MaxBatch = 100, Writers = 1 }, NullLogger<GroupCommitGrainStorage>.Instance);
        var grain = GrainId.Create("case", "c1/R-1");

        var first = new GrainState<string>("one");
        await storage.WriteStateAsync("case", grain, first);
        Assert.Equal("1", first.ETag);
        Assert.True(first.RecordExists);

        await storage.WriteStateAsync("case", grain, first);
        Assert.Equal("2", first.ETag);

        var stale = new GrainState<string>("stale") { ETag = "1" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("case", grain, stale));
        var twin = new GrainState<string>("twin");
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("case", grain, twin));
        Assert.Equal("one", await PayloadAsync(database, "c1/R-1"));

        // Reads, grouped, see what the provider would: the state, its version, and a new state where there is no row.
        var again = new GrainState<string>();
        var missing = new GrainState<StringBuilder>(new StringBuilder("left over")) { ETag = "7", RecordExists = true };
        await Task.WhenAll(storage.ReadStateAsync("case", grain, again), storage.ReadStateAsync("case", GrainId.Create("case", "c1/none"), missing));
        Assert.Equal(("one", "2", true), (again.State, again.ETag, again.RecordExists));
        Assert.Equal(("", null, false), (missing.State?.ToString(), missing.ETag, missing.RecordExists));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM orleans_grain_state WHERE grain_id_extension = 'c1/R-1' AND version = 2"));

        // 300 grains writing at once: every write lands, in fewer transactions than writes.
        var commitsBefore = storage.Commits;
        var states = Enumerable.Range(0, 300).Select(i => new GrainState<string>($"state {i}")).ToList();
        await Task.WhenAll(states.Select((s, i) => storage.WriteStateAsync("case", GrainId.Create("case", $"c1/B-{i}"), s)));
        var commits = storage.Commits - commitsBefore;
        Assert.All(states, s => Assert.Equal("1", s.ETag));
        Assert.Equal(300, await database.CountAsync("SELECT count(*) FROM orleans_grain_state WHERE grain_id_extension LIKE 'c1/B-%' AND version = 1"));
        Assert.Equal("state 217", await PayloadAsync(database, "c1/B-217"));
        Assert.True(commits < 300, $"{commits} commits for 300 writes");
    }

    [Fact]
    public void A_state_is_written_as_the_providers_own_serializer_writes_it()
    {
        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(CaseState).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Orleans.Serialization.Serializer>();
        var options = new AdoNetGrainStorageOptions { GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer) };
        var table = new GrainStateTable(options, "svc", "p", serializer);
        var created = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(1));
        var opened = CaseDecisions.Decide(new CaseState(), new OpenCase(Domain.Drafts.Case()), created, DunningPolicy.Default).State;
        var stepped = CaseDecisions.Decide(opened, new WakeUp(), created.AddDays(10), DunningPolicy.Default).State;

        var written = table.Serialize(stepped);

        Assert.Equal(options.GrainStorageSerializer.Serialize(stepped).ToArray(), written);
        Assert.Equal(stepped.History, options.GrainStorageSerializer.Deserialize<CaseState>(new BinaryData(written))!.History);
    }

    private static async Task<string?> PayloadAsync(PostgresDatabase database, string key)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payload FROM orleans_grain_state WHERE grain_id_extension = @k", connection);
        command.Parameters.AddWithValue("k", key);
        return await command.ExecuteScalarAsync() is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    private sealed class Utf8Serializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => new(Encoding.UTF8.GetBytes(input?.ToString() ?? ""));

        public T? Deserialize<T>(BinaryData input) => (T)(object)Encoding.UTF8.GetString(input.ToArray());
    }

    private sealed class NoReads : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();
    }
}
