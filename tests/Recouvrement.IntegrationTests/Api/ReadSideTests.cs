using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>The read side on the embedded default (in memory).</summary>
public sealed class EmbeddedReadSideTests(EngineHost host) : ReadSideTests(host), IClassFixture<EngineHost>;

/// <summary>The read side on PostgreSQL: the event log written with the grain states, the read model in its table.</summary>
public sealed class DurableReadSideTests(DurableEngineHost host) : ReadSideTests(host), IClassFixture<DurableEngineHost>;

/// <summary>
/// The read side: the events of every change reach the feed and, through the event stream and the projection, the
/// case list and its export. Each creditor sees only its own.
/// </summary>
public abstract class ReadSideTests(EngineHost host)
{
    private static readonly TimeSpan Projection = TimeSpan.FromSeconds(20);

    private async Task<(HttpClient Api, string Creditor)> NewCreditor()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, key, _) = await Keys.OnboardAsync(operatorClient);
        return (host.Client(key), id);
    }

    private static object Case(string reference, string debtor, decimal amount = 42.50m, string? label = null) => new
    {
        reference, amount, issuedOn = "2026-10-01", dueOn = "2031-01-10", label,
        debtor = new { reference = debtor, kind = "consumer", name = "Marie Durand", email = "marie@example.org", phone = "+33612345678" },
    };

    [Fact]
    public async Task A_case_created_and_paid_is_in_the_feed_in_order_and_the_list_shows_it_paid()
    {
        var (api, _) = await NewCreditor();
        using var _api = api;
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", Case("RS-1", "RS-D1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/RS-1/payments", new { amount = 42.50m, reference = "VIR-RS-1" })).StatusCode);

        // The feed serves an event once every older transaction has ended (on PostgreSQL, any of the server's): soon, not at once.
        var feed = (await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/events"), f => f!["items"]!.AsArray().Count >= 3, Projection, "the three events in the feed"))!;
        var items = feed["items"]!.AsArray();
        Assert.Equal(["case.created", "case.payment_received", "case.paid"], items.Select(i => i!["type"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal(("RS-1", "RS-D1"), (i!["caseReference"]!.GetValue<string>(), i["debtorReference"]!.GetValue<string>())));
        Assert.Equal(42.50m, items[1]!["data"]!["amount"]!.GetValue<decimal>());
        Assert.Equal("VIR-RS-1", items[1]!["data"]!["paymentReference"]!.GetValue<string>());
        Assert.Equal(3, items.Select(i => i!["id"]!.GetValue<string>()).Distinct().Count());

        // Going on from the cursor gives nothing new; a filter on types keeps only those.
        var next = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/events?after={feed["nextCursor"]}"))!;
        Assert.Empty(next["items"]!.AsArray());
        var paidOnly = (await api.GetFromJsonAsync<JsonObject>("/api/v1/events?types=case.paid"))!["items"]!.AsArray();
        Assert.Equal("case.paid", Assert.Single(paidOnly)!["type"]!.GetValue<string>());

        var listed = await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases"),
            page => page!["items"]!.AsArray().Any(c => c!["lastEvent"]!.GetValue<string>() == "case.paid"), Projection, "the projection to show RS-1 paid");
        var item = Assert.Single(listed!["items"]!.AsArray())!;
        Assert.Equal(("RS-1", 42.50m, 0m, "case.paid"), (item["reference"]!.GetValue<string>(), item["paid"]!.GetValue<decimal>(), item["balance"]!.GetValue<decimal>(), item["lastEvent"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_page_walk_returns_every_case_once_while_cases_change_and_filters_apply()
    {
        var (api, _) = await NewCreditor();
        using var _api = api;
        var batch = Enumerable.Range(1, 7).Select(i => Case($"W-{i:00}", $"WD-{i}", 10m + i)).ToList();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/cases/batch", batch)).StatusCode);
        await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases?limit=1000"), p => p!["items"]!.AsArray().Count == 7, Projection, "7 cases listed");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases?limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}"))!;
            seen.AddRange(page["items"]!.AsArray().Select(c => c!["reference"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            if (pages++ == 1)
            {
                // Cases change in the middle of the walk: one paid, one put on hold, a new one created.
                await api.PostAsJsonAsync("/api/v1/cases/W-01/payments", new { amount = 11m, reference = "VIR-W1" });
                await api.PostAsync("/api/v1/cases/W-06/hold", null);
                await api.PostAsJsonAsync("/api/v1/cases", Case("W-99", "WD-99"));
            }
        }
        while (cursor is not null);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(["W-01", "W-02", "W-03", "W-04", "W-05", "W-06", "W-07"], seen.Where(r => r != "W-99"));

        var held = await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases?status=on_hold"),
            p => p!["items"]!.AsArray().Count == 1, Projection, "the held case in the on_hold filter");
        Assert.Equal("W-06", held!["items"]![0]!["reference"]!.GetValue<string>());
        var debtor = (await api.GetFromJsonAsync<JsonObject>("/api/v1/cases?debtor=WD-3"))!["items"]!.AsArray();
        Assert.Equal("W-03", Assert.Single(debtor)!["reference"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/cases?status=lost&limit=5000&cursor=%21")).StatusCode);
    }

    [Fact]
    public async Task A_list_filtered_by_due_dates_goes_by_due_date_then_reference_and_its_walk_returns_each_case_once()
    {
        var (api, _) = await NewCreditor();
        using var _api = api;
        // References and due dates in opposite orders, and two cases due the same day.
        string[] dues = ["2031-03-01", "2031-02-01", "2031-02-01", "2031-01-15", "2030-12-01", "2031-04-01"];
        var batch = dues.Select((due, i) => new
        {
            reference = $"DD-{i + 1}", amount = 30m, issuedOn = "2026-10-01", dueOn = due,
            debtor = new { reference = $"DDD-{i + 1}", kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
        });
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/cases/batch", batch)).StatusCode);
        await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases?limit=1000"), p => p!["items"]!.AsArray().Count == 6, Projection, "6 cases listed");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases?dueFrom=2031-01-01&dueTo=2031-03-31&limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}"))!;
            seen.AddRange(page["items"]!.AsArray().Select(c => c!["reference"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(["DD-4", "DD-2", "DD-3", "DD-1"], seen);

        // A cursor of the list by reference is not one of the list by due date.
        var byReference = (await api.GetFromJsonAsync<JsonObject>("/api/v1/cases?limit=2"))!["nextCursor"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/cases?dueFrom=2031-01-01&cursor={byReference}")).StatusCode);
    }

    [Fact]
    public async Task A_list_of_the_cases_changed_since_goes_by_change_time_and_its_walk_returns_each_case_once_while_cases_change()
    {
        var (api, _) = await NewCreditor();
        using var _api = api;
        var batch = Enumerable.Range(1, 6).Select(i => Case($"UC-{i}", $"UCD-{i}"));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/cases/batch", batch)).StatusCode);
        await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases?limit=1000"), p => p!["items"]!.AsArray().Count == 6, Projection, "6 cases listed");
        const string since = "updatedSince=2020-01-01T00:00:00Z";

        var first = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases?{since}&limit=2"))!;
        var walked = first["items"]!.AsArray().Select(c => c!).ToList();
        var returned = walked[0]["reference"]!.GetValue<string>();
        var ahead = Enumerable.Range(1, 6).Select(i => $"UC-{i}").First(r => walked.All(c => c["reference"]!.GetValue<string>() != r));

        // A case already returned and one not yet returned change during the walk: the walk goes on up to the time of
        // its first page, so neither comes (again) in it.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/cases/{returned}/hold", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/cases/{ahead}/hold", null)).StatusCode);
        await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases?status=on_hold"), p => p!["items"]!.AsArray().Count == 2, Projection, "2 held cases listed");
        var cursor = first["nextCursor"]!.GetValue<string>();
        while (cursor is not null)
        {
            var page = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases?{since}&limit=2&cursor={cursor}"))!;
            walked.AddRange(page["items"]!.AsArray().Select(c => c!));
            cursor = page["nextCursor"]?.GetValue<string>();
        }

        var references = walked.Select(c => c["reference"]!.GetValue<string>()).ToList();
        Assert.Equal(references.Distinct(), references);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"UC-{i}").Where(r => r != ahead).Order(StringComparer.Ordinal), references.Order(StringComparer.Ordinal));
        var order = walked.Select(c => (At: c["updatedAt"]!.GetValue<DateTimeOffset>(), Reference: c["reference"]!.GetValue<string>())).ToList();
        Assert.Equal(order.OrderBy(c => c.At).ThenBy(c => c.Reference, StringComparer.Ordinal), order);

        // The next walk, from the last case's change time, brings what changed during this one.
        var lastAt = Uri.EscapeDataString(walked[^1]["updatedAt"]!.GetValue<string>());
        var next = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases?updatedSince={lastAt}&limit=1000"))!["items"]!.AsArray()
            .Select(c => c!["reference"]!.GetValue<string>()).ToList();
        Assert.Contains(returned, next);
        Assert.Contains(ahead, next);

        // A cursor of the list by reference is not one of the list by change time, nor the other way round.
        var byReference = (await api.GetFromJsonAsync<JsonObject>("/api/v1/cases?limit=2"))!["nextCursor"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/cases?{since}&cursor={byReference}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/cases?cursor={first["nextCursor"]}")).StatusCode);
    }

    [Fact]
    public async Task A_list_filtered_by_amount_claimed_keeps_its_order_and_its_walk_returns_each_matching_case_once()
    {
        var (api, _) = await NewCreditor();
        using var _api = api;
        // Amounts out of the references' order, the bounds themselves included, due dates in the opposite order of the references.
        decimal[] amounts = [99.99m, 100m, 250m, 40m, 180.50m, 300m, 300.01m, 120m];
        var batch = amounts.Select((amount, i) => new
        {
            reference = $"AM-{i + 1}", amount, issuedOn = "2026-10-01", dueOn = $"2031-0{8 - i}-01",
            debtor = new { reference = $"AMD-{i + 1}", kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
        });
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/cases/batch", batch)).StatusCode);
        await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases?limit=1000"), p => p!["items"]!.AsArray().Count == 8, Projection, "8 cases listed");

        async Task<List<string>> Walk(string filters)
        {
            var seen = new List<string>();
            string? cursor = null;
            var paid = false;
            do
            {
                var page = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases?{filters}&limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}"))!;
                seen.AddRange(page["items"]!.AsArray().Select(c => c!["reference"]!.GetValue<string>()));
                cursor = page["nextCursor"]?.GetValue<string>();
                if (!paid)
                {
                    // A payment in the middle of the walk lowers a balance, never the amount claimed: the case stays in the list, once.
                    paid = true;
                    Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/AM-3/payments", new { amount = 10m, reference = "VIR-" + filters.Length })).StatusCode);
                }
            }
            while (cursor is not null);

            return seen;
        }

        Assert.Equal(["AM-2", "AM-3", "AM-5", "AM-6", "AM-8"], await Walk("amountFrom=100&amountTo=300"));
        Assert.Equal(["AM-1", "AM-4"], await Walk("amountTo=99.99"));
        // With due dates the list goes by due date: the same bounds, in that order.
        Assert.Equal(["AM-8", "AM-7", "AM-6", "AM-5", "AM-3"], await Walk("amountFrom=120&dueFrom=2031-01-01&dueTo=2031-12-31"));

        foreach (var (query, field) in new[] { ("amountFrom=abc", "amountFrom"), ("amountTo=-5", "amountTo"), ("amountFrom=10,5", "amountFrom"), ("amountFrom=300&amountTo=100", "amountTo") })
        {
            var refused = await api.GetAsync("/api/v1/cases?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!.AsArray();
            Assert.Equal(field, Assert.Single(errors)!["field"]!.GetValue<string>());
        }

        var exported = await api.GetStringAsync("/api/v1/cases/export?amountFrom=300");
        Assert.Equal(["AM-6", "AM-7"], exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(';')[0].TrimStart('\uFEFF')));
    }

    [Fact]
    public async Task The_export_is_a_csv_a_spreadsheet_opens_safely_with_decimal_commas()
    {
        var (api, _) = await NewCreditor();
        using var _api = api;
        await api.PostAsJsonAsync("/api/v1/cases", Case("EXP-1", "EXPD-1", 42.5m, label: "=HYPERLINK(\"http://evil.example\";\"clic\")"));
        await api.PostAsJsonAsync("/api/v1/cases", Case("EXP-2", "EXPD-2", 17m, label: "Facture; n°2"));
        await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>("/api/v1/cases"), p => p!["items"]!.AsArray().Count == 2, Projection, "2 cases listed");

        var response = await api.GetAsync("/api/v1/cases/export");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } crlf ? crlf : Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("reference;amount;currency;issued_on;due_on;label;debtor_reference;debtor_kind;debtor_name;email;phone;address_line1;postal_code;city;country;language;status;paid;balance;stage;updated_at", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("EXP-1;42,50;EUR;2026-10-01;2031-01-10;\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"clic\"\")\";EXPD-1;consumer;Marie Durand;marie@example.org;'+33612345678;;;;;;active;0,00;42,50;0;", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("EXP-2;17,00;EUR;2026-10-01;2031-01-10;\"Facture; n°2\";EXPD-2;", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_creditor_sees_none_of_the_cases_events_or_exports()
    {
        var (a, _) = await NewCreditor();
        var (b, _) = await NewCreditor();
        using var _a = a;
        using var _b = b;
        await a.PostAsJsonAsync("/api/v1/cases", Case("ONLY-A", "ONLY-AD"));
        await Eventually.Get(() => a.GetFromJsonAsync<JsonObject>("/api/v1/cases"), p => p!["items"]!.AsArray().Count == 1, Projection, "A's case listed");

        Assert.Empty((await b.GetFromJsonAsync<JsonObject>("/api/v1/cases"))!["items"]!.AsArray());
        Assert.Empty((await b.GetFromJsonAsync<JsonObject>("/api/v1/events"))!["items"]!.AsArray());
        Assert.DoesNotContain("ONLY-A", await b.GetStringAsync("/api/v1/cases/export"), StringComparison.Ordinal);
    }
}
