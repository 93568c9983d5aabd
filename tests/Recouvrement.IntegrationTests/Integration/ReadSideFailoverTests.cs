using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Recouvrement.Payments;
using Recouvrement.Tests.Api;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// The read side as a creditor's software sees it, on PostgreSQL, when a silo dies: three silo processes, a webhook
/// receiver on a local port, cases fed, paid in full, paid in part and disputed on the debtor's page, and one silo
/// killed with no warning half-way. Every stored event reaches the receiver at least once, signed, in each case's order;
/// the case list and the event feed agree with each case as its grain tells it.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class ReadSideFailoverTests
{
    private const string Key = "rk_read_side_failover_key";
    private const int Cases = 300;
    private const decimal Amount = 42.50m;
    private const decimal Part = 10.00m;

    /// <summary>What the dead silo held comes back once the cluster declares it dead and queues' messages become visible again.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(180);

    private enum Fate
    {
        Paid,
        Disputed,
        PartlyPaid,
    }

    private static Fate FateOf(int i) => (Fate)(i % 3);

    private static readonly Dictionary<Fate, string[]> ExpectedTypes = new()
    {
        [Fate.Paid] = ["case.created", "case.payment_received", "case.paid"],
        [Fate.Disputed] = ["case.created", "case.disputed"],
        [Fate.PartlyPaid] = ["case.created", "case.payment_received"],
    };

    [Fact]
    public async Task Every_event_reaches_the_receiver_signed_and_in_order_and_the_list_and_feed_agree_with_each_case_after_a_kill()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var outbox = Directory.CreateTempSubdirectory("recouvrement-read-side-outbox-").FullName;
        var log = Path.Combine(Path.GetTempPath(), $"recouvrement-read-side-{database.Name}.log");
        // Real time; every case falls due in 2031, so no step runs: the events are the API's and the debtors'.
        var shared = new Dictionary<string, string>(SiloProcess.Environment(database.ConnectionString, Key, outbox, 1, DateTimeOffset.UtcNow.ToString("O")))
        {
            ["Recouvrement__Webhooks__AllowPrivateTargets"] = "true",
        };

        await using var doomed = await SiloProcess.StartAsync(FreePort.Next(), SiloProcess.WithClusterPorts(shared), log);
        await using var second = await SiloProcess.StartAsync(FreePort.Next(), SiloProcess.WithClusterPorts(shared), log);
        await using var third = await SiloProcess.StartAsync(FreePort.Next(), SiloProcess.WithClusterPorts(shared), log);
        using var api = new HttpClient { BaseAddress = third.Address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };
        using var debtorSide = new HttpClient { BaseAddress = second.Address };
        var (_, secret) = await WebhookSettings.Subscribe(api, receiver.Url, "*");

        // Most cases in one batch (the bulk path), some one by one (through their grains).
        var batch = await api.PostAsJsonAsync("/api/v1/cases/batch", Enumerable.Range(1, Cases - 20).Select(Case));
        Assert.Equal(Cases - 20, (await batch.Content.ReadFromJsonAsync<JsonObject>())!["created"]!.GetValue<int>());
        for (var i = Cases - 19; i <= Cases; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", Case(i))).StatusCode);
        }

        // Each case meets its fate, sixteen at a time; half-way, the first silo dies.
        var done = 0;
        var kill = new TaskCompletionSource();
        var acting = Parallel.ForEachAsync(Enumerable.Range(1, Cases), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            await (FateOf(i) switch
            {
                Fate.Paid => Pay(api, i, Amount),
                Fate.PartlyPaid => Pay(api, i, Part),
                _ => Dispute(api, debtorSide, i),
            });
            if (Interlocked.Increment(ref done) == Cases / 2)
            {
                kill.SetResult();
            }
        });
        await kill.Task;
        await doomed.KillAsync();
        await acting;

        // The log holds exactly what happened to each case, in order.
        var stored = await StoredEvents(database);
        Assert.Equal(Enumerable.Range(1, Cases).Select(Reference).Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(Enumerable.Range(1, Cases), i => Assert.Equal(ExpectedTypes[FateOf(i)], stored[Reference(i)].Select(e => e.Type)));
        var storedIds = stored.Values.SelectMany(events => events.Select(e => e.Id)).ToHashSet(StringComparer.Ordinal);

        // Every stored event arrives at least once; nothing arrives that was not stored.
        var received = await Eventually.Get(
            () => Task.FromResult(receiver.Requests),
            requests => storedIds.IsSubsetOf(requests.Select(r => r.Id)),
            Recovery,
            $"all {storedIds.Count} stored events received");
        Assert.Subset(storedIds, received.Select(r => r.Id).ToHashSet(StringComparer.Ordinal));

        // Each delivery is signed with the subscription's secret, names its event in its header, and each case's events
        // arrive first in the log's order (a redelivery after the kill may repeat one later).
        Assert.All(received, r =>
        {
            Assert.True(WebhookSettings.Verify(secret, r.Signature!, r.Body, TimeSpan.FromMinutes(5)), $"the signature of {r.Id}");
            Assert.Equal(r.Id, r.EventId);
        });
        foreach (var (reference, events) in stored)
        {
            var firstArrivals = received.Where(r => r.CaseReference == reference).Select(r => r.Id).Distinct(StringComparer.Ordinal);
            Assert.Equal(events.Select(e => e.Id), firstArrivals);
        }

        // The list agrees with each case's grain once the projection has caught up, and names each case's last event.
        var cases = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var i in Enumerable.Range(1, Cases))
        {
            cases[Reference(i)] = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{Reference(i)}"))!;
        }

        var listed = await Eventually.Get(
            () => List(api),
            items => items.Count == Cases && items.All(item => Agrees(item, cases[Ref(item)], stored[Ref(item)][^1].Type)),
            Recovery,
            "the list agreeing with every case");
        Assert.Equal(cases.Keys.Order(StringComparer.Ordinal), listed.Select(Ref).Order(StringComparer.Ordinal));

        // The feed serves each case's events once, in the log's order.
        var fed = await Feed(api);
        Assert.Equal(storedIds.Count, fed.Count);
        foreach (var (reference, events) in stored)
        {
            Assert.Equal(events.Select(e => (e.Id, e.Type)), fed.Where(e => e.Case == reference).Select(e => (e.Id, e.Type)));
        }
    }

    private static string Reference(int i) => $"RSF-{i:000}";

    private static string Ref(JsonObject item) => item["reference"]!.GetValue<string>();

    private static object Case(int i) => new
    {
        reference = Reference(i), amount = Amount, currency = "EUR", issuedOn = "2026-10-01", dueOn = "2031-01-10",
        debtor = new { reference = $"RSFD-{i:000}", kind = "consumer", name = "Marie Durand", email = $"rsf{i}@example.org" },
    };

    private static bool Agrees(JsonObject listed, JsonObject view, string lastType) =>
        listed["status"]!.GetValue<string>() == view["status"]!.GetValue<string>()
        && listed["stage"]!.GetValue<int>() == view["stage"]!.GetValue<int>()
        && listed["paid"]!.GetValue<decimal>() == view["paid"]!.GetValue<decimal>()
        && listed["balance"]!.GetValue<decimal>() == view["balance"]!.GetValue<decimal>()
        && listed["lastEvent"]!.GetValue<string>() == lastType;

    /// <summary>Pays a case, again when its grain was on the dead silo or the connection broke: payments are idempotent on their reference.</summary>
    private static async Task Pay(HttpClient api, int i, decimal amount)
    {
        var answer = await Eventually.Get(async () =>
        {
            try
            {
                using var response = await api.PostAsJsonAsync($"/api/v1/cases/{Reference(i)}/payments", new { amount, reference = $"VIR-RSF-{i}" });
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, status => status is HttpStatusCode.Created or HttpStatusCode.OK || (int)status is >= 400 and < 500, Recovery, $"the payment of {Reference(i)} acknowledged");
        Assert.True(answer is HttpStatusCode.Created or HttpStatusCode.OK, $"payment of {Reference(i)}: {answer}");
    }

    /// <summary>The debtor disputes the case on the page its link opens, again until the case says so (a dispute already made is accepted).</summary>
    private static async Task Dispute(HttpClient api, HttpClient debtorSide, int i)
    {
        var token = Links.TokenFor($"demo/RSFD-{i:000}", DateTimeOffset.UtcNow);
        await Eventually.Get(async () =>
        {
            try
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["case"] = Reference(i), ["reason"] = "wrong_amount" });
                using var posted = await debtorSide.PostAsync($"/p/{token}/dispute", form);
                using var read = await api.GetAsync($"/api/v1/cases/{Reference(i)}");
                return read.IsSuccessStatusCode ? (await read.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>() : "unknown";
            }
            catch (HttpRequestException)
            {
                return "unknown";
            }
        }, status => status == "disputed", Recovery, $"{Reference(i)} disputed");
    }

    private static readonly PaymentLinks Links = new(Options.Create(new PaymentLinkOptions { SigningKey = SiloProcess.SigningKey }));

    private static async Task<List<JsonObject>> List(HttpClient api)
    {
        var items = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases?limit=100{(cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor))}"))!;
            items.AddRange(page["items"]!.AsArray().Select(item => item!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return items;
    }

    private static async Task<List<(string Id, string Type, string? Case)>> Feed(HttpClient api)
    {
        var events = new List<(string, string, string?)>();
        string? after = null;
        while (true)
        {
            var page = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/events?limit=1000{(after is null ? string.Empty : "&after=" + after)}"))!;
            var items = page["items"]!.AsArray();
            if (items.Count == 0)
            {
                return events;
            }

            events.AddRange(items.Select(e => (e!["id"]!.GetValue<string>(), e["type"]!.GetValue<string>(), e["caseReference"]?.GetValue<string>())));
            after = page["nextCursor"]!.GetValue<string>();
        }
    }

    private sealed record Stored(string Id, string Type);

    /// <summary>The creditor's stored events by case, each case's in the log's order.</summary>
    private static async Task<Dictionary<string, List<Stored>>> StoredEvents(PostgresDatabase database)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT case_reference, event_id, type FROM recouvrement_events WHERE creditor_id = 'demo' ORDER BY tx, position");
        await using var reader = await command.ExecuteReaderAsync();
        var byCase = new Dictionary<string, List<Stored>>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var reference = reader.GetString(0);
            if (!byCase.TryGetValue(reference, out var events))
            {
                byCase[reference] = events = [];
            }

            events.Add(new Stored(reader.GetString(1), reader.GetString(2)));
        }

        return byCase;
    }
}
