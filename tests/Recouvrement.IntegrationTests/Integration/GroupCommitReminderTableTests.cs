using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Recouvrement.Silo.Storage;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// The group-committed reminder table on a real PostgreSQL with the project's schema, read back through the
/// Orleans ADO.NET reminder table itself: what one writes, the other reads with the same key, hash and ETag.
/// </summary>
public sealed class GroupCommitReminderTableTests
{
    [Fact]
    public async Task Writes_are_read_back_by_the_ado_net_table_with_its_etags_and_ring_hashes()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var (adoNet, table) = await TablesAsync(database, maxBatch: 100);
        await using var _ = table;

        var grain = GrainId.Create("debtor", "c1/P-1");
        var start = new DateTime(2026, 11, 4, 7, 0, 0, DateTimeKind.Utc);
        var etag = await table.UpsertRow(Entry(grain, "dispatch", start));
        Assert.Equal("1", etag);

        var read = await adoNet.ReadRow(grain, "dispatch");
        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal(start, read.StartAt.ToUniversalTime());
        Assert.Equal(TimeSpan.FromMinutes(30), read.Period);

        var grouped = await table.ReadRow(grain, "dispatch");
        Assert.Equal((read.ETag, read.StartAt.ToUniversalTime(), read.Period, read.GrainId), (grouped!.ETag, grouped.StartAt, grouped.Period, grouped.GrainId));
        Assert.Null(await table.ReadRow(grain, "another"));

        // The provider finds the row in the ring slice that holds the grain's hash, and not in the rest.
        var hash = grain.GetUniformHashCode();
        Assert.Contains((await adoNet.ReadRows(hash - 1, hash)).Reminders, r => r.GrainId == grain);
        Assert.DoesNotContain((await adoNet.ReadRows(hash, hash + 1000)).Reminders, r => r.GrainId == grain);

        Assert.Equal("2", await table.UpsertRow(Entry(grain, "dispatch", start.AddHours(1))));
        Assert.False(await table.RemoveRow(grain, "dispatch", "1"));
        Assert.NotNull(await adoNet.ReadRow(grain, "dispatch"));
        Assert.True(await table.RemoveRow(grain, "dispatch", "2"));
        Assert.Null(await adoNet.ReadRow(grain, "dispatch"));
    }

    [Fact]
    public async Task Writes_asked_together_share_transactions_and_apply_in_the_order_asked()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var (adoNet, table) = await TablesAsync(database, maxBatch: 500);
        await using var _ = table;
        var start = new DateTime(2026, 11, 4, 23, 0, 0, DateTimeKind.Utc);

        // One reminder registered, moved, removed at its second version and registered again, all asked at once.
        var grain = GrainId.Create("case", "c1/R-1");
        var asked = new List<Task<string?>>
        {
            table.UpsertRow(Entry(grain, "next-step", start)),
            table.UpsertRow(Entry(grain, "next-step", start.AddDays(1))),
        };
        var removed = table.RemoveRow(grain, "next-step", "2");
        asked.Add(table.UpsertRow(Entry(grain, "next-step", start.AddDays(7))));

        // 300 others at the same moment.
        var commitsBefore = table.Commits;
        var others = Enumerable.Range(0, 300).Select(i => table.UpsertRow(Entry(GrainId.Create("case", $"c1/B-{i}"), "next-step", start))).ToList();
        await Task.WhenAll(others);
        Assert.Equal(new string?[] { "1", "2", "1" }, await Task.WhenAll(asked));
        Assert.True(await removed);
        Assert.All(others, o => Assert.Equal("1", o.Result));
        Assert.True(table.Commits - commitsBefore < 300, $"{table.Commits - commitsBefore} commits for 300 writes");

        var final = await adoNet.ReadRow(grain, "next-step");
        Assert.Equal("1", final!.ETag);
        Assert.Equal(start.AddDays(7), final.StartAt.ToUniversalTime());
        Assert.Equal(301, await database.CountAsync("SELECT count(*) FROM orleans_reminder WHERE service_id = 'svc'"));
    }

    private static ReminderEntry Entry(GrainId grain, string name, DateTime start) =>
        new() { GrainId = grain, ReminderName = name, StartAt = start, Period = TimeSpan.FromMinutes(30) };

    /// <summary>The schema, the ADO.NET reminder table and the group-committed one in front of it (one writer, so order is kept).</summary>
    private static async Task<(IReminderTable AdoNet, GroupCommitReminderTable Table)> TablesAsync(PostgresDatabase database, int maxBatch)
    {
        await new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance).StartAsync(CancellationToken.None);
        var adoNet = AdoNetTable(database.ConnectionString);
        var table = new GroupCommitReminderTable(adoNet, database.DataSource, "svc",
            new StorageWriteOptions { MaxBatch = maxBatch, Writers = 1 }, NullLogger<GroupCommitReminderTable>.Instance);
        await table.StartAsync();
        return (adoNet, table);
    }

    /// <summary>The Orleans ADO.NET reminder table (an internal type) as the silo builds it.</summary>
    private static IReminderTable AdoNetTable(string connectionString)
    {
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(o => o.ServiceId = "svc");
        services.Configure<AdoNetReminderTableOptions>(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        var type = typeof(AdoNetReminderTableOptions).Assembly.GetTypes().Single(t => t.Name == "AdoNetReminderTable");
        return (IReminderTable)ActivatorUtilities.CreateInstance(services.BuildServiceProvider(), type);
    }
}
