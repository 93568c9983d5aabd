using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// The event stream on PostgreSQL when a silo dies: two silo processes, cases created and paid through the API, and
/// the silo that relays the event log killed with no warning while payments' events are on their way. Every case must
/// still reach its final status in the read model (no event lost between the log and the projection), and the feed
/// must serve exactly the events stored.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class EventStreamFailoverTests
{
    private const string Key = "rk_stream_failover_key";
    private const int Cases = 400;
    private const decimal Amount = 42.50m;

    /// <summary>A queue's messages held by the dead silo come back after the visibility timeout (30 s), once the cluster knows it is dead.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Killing_the_relaying_silo_loses_no_event_for_the_read_model()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var outbox = Directory.CreateTempSubdirectory("recouvrement-stream-outbox-").FullName;
        var log = Path.Combine(Path.GetTempPath(), $"recouvrement-stream-{database.Name}.log");
        // Real time; every case falls due in 2031, so no step runs: the events are the API's.
        var shared = SiloProcess.Environment(database.ConnectionString, Key, outbox, 1, DateTimeOffset.UtcNow.ToString("O"));

        await using var first = await SiloProcess.StartAsync(FreePort.Next(), SiloProcess.WithClusterPorts(shared), log);
        // The first silo takes the relay's lease as it starts; the second will wait for it.
        await Eventually.Get(() => RelayLeases(database), held => held == 1, TimeSpan.FromSeconds(30), "the first silo to hold the relay's lease");
        await using var second = await SiloProcess.StartAsync(FreePort.Next(), SiloProcess.WithClusterPorts(shared), log);
        using var api = new HttpClient { BaseAddress = second.Address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };

        // Most cases in one batch (the bulk path), some one by one (through their grains).
        var batch = Enumerable.Range(1, Cases - 20).Select(Case);
        Assert.Equal(Cases - 20, (await (await api.PostAsJsonAsync("/api/v1/cases/batch", batch)).Content.ReadFromJsonAsync<JsonObject>())!["created"]!.GetValue<int>());
        for (var i = Cases - 19; i <= Cases; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", Case(i))).StatusCode);
        }

        // Every case paid in full, sixteen payments in flight; half-way, the relaying silo dies.
        var acknowledged = 0;
        var kill = new TaskCompletionSource();
        var paying = Parallel.ForEachAsync(Enumerable.Range(1, Cases), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            await Pay(api, i);
            if (Interlocked.Increment(ref acknowledged) == Cases / 2)
            {
                kill.SetResult();
            }
        });
        await kill.Task;
        await first.KillAsync();
        await paying;

        // The read model shows every case paid: each payment's events came through the stream.
        var paid = await Eventually.Get(
            () => ListPaid(api),
            listed => listed.References.Count == Cases,
            Recovery,
            $"all {Cases} cases listed as paid after the kill");
        Assert.Equal(Enumerable.Range(1, Cases).Select(Reference).Order(StringComparer.Ordinal), paid.References);

        // What the queues held is delivered and confirmed, nothing is in the dead letters.
        await Eventually.Get(() => database.CountAsync("SELECT count(*) FROM orleans_stream_message"), n => n == 0, Recovery, "the stream's queues drained");
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM orleans_stream_dead_letter"));

        // The feed serves the stored events, each once, in the log's order.
        var stored = await StoredEventIds(database);
        Assert.Equal(Cases * 3, stored.Count); // created, payment received, paid
        var fed = await FeedEventIds(api);
        Assert.Equal(stored.Order(StringComparer.Ordinal), fed.Order(StringComparer.Ordinal));
        Assert.Equal(stored, fed);
    }

    private static string Reference(int i) => $"ES-{i:000}";

    private static object Case(int i) => new
    {
        reference = Reference(i), amount = Amount, currency = "EUR", issuedOn = "2026-10-01", dueOn = "2031-01-10",
        debtor = new { reference = $"ESD-{i:000}", kind = "consumer", name = "Marie Durand", email = $"es{i}@example.org" },
    };

    /// <summary>Pays one case, again while its grain was on the dead silo (503) or the silo's connection broke; payments are idempotent on their reference.</summary>
    private static async Task Pay(HttpClient api, int i)
    {
        var answer = await Eventually.Get(async () =>
        {
            try
            {
                using var response = await api.PostAsJsonAsync($"/api/v1/cases/{Reference(i)}/payments", new { amount = Amount, reference = $"VIR-ES-{i}" });
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, status => status is HttpStatusCode.Created or HttpStatusCode.OK || (int)status is >= 400 and < 500, Recovery, $"the payment of {Reference(i)} acknowledged");
        Assert.True(answer is HttpStatusCode.Created or HttpStatusCode.OK, $"payment of {Reference(i)}: {answer}");
    }

    private static async Task<Paid> ListPaid(HttpClient api)
    {
        try
        {
            var page = await api.GetFromJsonAsync<JsonObject>("/api/v1/cases?status=paid&limit=1000");
            return new Paid([.. page!["items"]!.AsArray().Select(c => c!["reference"]!.GetValue<string>())]);
        }
        catch (HttpRequestException)
        {
            return new Paid([]);
        }
    }

    private sealed record Paid(List<string> References)
    {
        public override string ToString() => $"{References.Count} cases listed as paid";
    }

    private static async Task<List<string>> FeedEventIds(HttpClient api)
    {
        var ids = new List<string>();
        string? cursor = null;
        while (true)
        {
            var page = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/events?limit=1000{(cursor is null ? string.Empty : "&after=" + cursor)}"))!;
            var items = page["items"]!.AsArray();
            if (items.Count == 0)
            {
                return ids;
            }

            ids.AddRange(items.Select(e => e!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]!.GetValue<string>();
        }
    }

    private static async Task<List<string>> StoredEventIds(PostgresDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("SELECT event_id FROM recouvrement_events WHERE creditor_id = 'demo' ORDER BY tx, position");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<long> RelayLeases(PostgresDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
