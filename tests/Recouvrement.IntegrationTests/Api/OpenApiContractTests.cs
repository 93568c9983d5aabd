using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recouvrement.Api;
using Recouvrement.Api.Cases;
using Recouvrement.Webhooks;
using Recouvrement.Tests.Support;
using NJsonSchema.CodeGeneration.CSharp;
using static Recouvrement.Tests.Support.GeneratedClient;

namespace Recouvrement.Tests.Api;

/// <summary>
/// <c>/openapi/v1.json</c> as a contract: a client generated from it works against the API as it is, every error it
/// declares is one the API gives (and the API gives none it does not declare), and it says what the API writes.
/// </summary>
public sealed class OpenApiContractTests(OpenApiContractTests.Host host) : IClassFixture<OpenApiContractTests.Host>
{
    /// <summary>The engine, with room for the table's keyless requests from one address before the limit answers 429.</summary>
    public sealed class Host : EngineHost
    {
        public const int FailedAuthentications = 50;

        protected override IEnumerable<string> ExtraArgs => [$"--Recouvrement:RateLimits:FailedAuthentications={FailedAuthentications}"];
    }

    private async Task<string> DocumentText()
    {
        using var anonymous = host.Client(key: null);
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonNode> Document() => JsonNode.Parse(await DocumentText())!;

    [Theory]
    [InlineData(CSharpJsonLibrary.NewtonsoftJson)]
    [InlineData(CSharpJsonLibrary.SystemTextJson)]
    public async Task A_client_generated_from_the_document_creates_reads_pays_batches_and_imports_cases(CSharpJsonLibrary json)
    {
        using var http = host.Client();
        var api = await GenerateAsync(await DocumentText(), http, json);
        var run = json == CSharpJsonLibrary.NewtonsoftJson ? "N" : "S";

        var created = await api.Call("CreateCaseAsync", NewCase(api, $"OA-{run}-1", 42.50m, "marie.durand@example.org"));
        Assert.Equal($"OA-{run}-1", Get(created, "Reference"));
        Assert.Equal(api.Enum("CaseStatus", "Active"), Get(created, "Status"));
        Assert.Equal(42.50m, Get(created, "Amount"));
        Assert.Equal(42.50m, Get(created, "Balance"));
        Assert.Equal("2026-10-12", ((DateTimeOffset)Get(created, "DueOn")!).ToString("yyyy-MM-dd", null));
        Assert.Equal(api.Enum("NextStepAction", "Reminder"), Get(Get(created, "NextStep"), "Action"));

        var read = await api.Call("GetCaseAsync", $"OA-{run}-1");
        Assert.Equal(42.50m, Get(read, "Balance"));
        Assert.Equal($"OA-{run}-D", Get(read, "DebtorReference"));

        var paid = await api.Call("RecordPaymentAsync", $"OA-{run}-1",
            api.New("PaymentRequest", ("Amount", 42.50m), ("Reference", $"VIR-OA-{run}-1"), ("Method", "bank_transfer")));
        Assert.Equal(api.Enum("CaseStatus", "Paid"), Get(paid, "Status"));
        Assert.Equal(42.50m, Get(paid, "Paid"));
        Assert.Equal(0m, Get(paid, "Balance"));

        var batch = await api.Call("CreateCasesAsync", api.Array("CaseRequest",
            NewCase(api, $"OA-{run}-1", 42.50m, "marie.durand@example.org"),
            NewCase(api, $"OA-{run}-2", 18.00m, "marie.durand@example.org"),
            NewCase(api, $"OA-{run}-3", 18.00m, "not-an-address"),
            NewCase(api, $"OA-{run}-1", 43.00m, "marie.durand@example.org")));
        Assert.Equal([4, 1, 1, 1, 1, 0], Ints(batch, "Received", "Created", "Duplicate", "Conflict", "Invalid", "Failed"));
        Assert.Equal(
            ["Duplicate", "Created", "Invalid", "Conflict"],
            Enumerable.Range(0, 4).Select(i => Get(Item(batch, "Items", i), "Status")!.ToString()!));
        Assert.Equal(api.Enum("IntakeStatus", "Invalid"), Get(Item(batch, "Items", 2), "Status"));
        Assert.Equal("debtor.email", Get(Item(Item(batch, "Items", 2), "Errors", 0), "Field"));

        using var csv = new MemoryStream(Encoding.UTF8.GetBytes($$"""
            reference;amount;issued_on;due_on;debtor_reference;debtor_name;email
            OA-{{run}}-CSV-1;42,50;12/09/2026;12/10/2026;OA-{{run}}-CSV-D1;Jean Martin;jean.martin@example.org
            OA-{{run}}-CSV-2;10,00;12/09/2026;31/02/2026;OA-{{run}}-CSV-D2;Luc Petit;luc.petit@example.org
            """));
        var imported = await api.Call("ImportCasesAsync", csv);
        Assert.Equal([2, 1, 1], Ints(imported, "Lines", "Created", "Invalid"));
        Assert.Equal(";", Get(imported, "Delimiter"));
        Assert.Equal(2, Get(Item(imported, "Results", 0), "Line"));
        Assert.Equal($"OA-{run}-CSV-1", Get(Item(imported, "Results", 0), "Reference"));
        Assert.Equal(api.Enum("IntakeStatus", "Invalid"), Get(Item(imported, "Results", 1), "Status"));
        Assert.Equal(3, Get(Item(imported, "Results", 1), "Line"));
        Assert.Equal("due_on", Get(Item(Item(imported, "Results", 1), "Errors", 0), "Field"));
        Assert.Equal(42.50m, Get(await api.Call("GetCaseAsync", $"OA-{run}-CSV-1"), "Amount"));

        // The read side catches up with the writes: the list, its export and the event feed.
        var listed = await Eventually.Get(
            () => api.Call("ListCasesAsync", api.Enum("CaseStatus", "Paid"), $"OA-{run}-D", null, null, null, null, null, 10, null),
            page => Count(page, "Items") == 1 && (string?)Get(Item(page, "Items", 0), "LastEvent") == "case.paid", Projection,
            $"OA-{run}-1 listed as paid, its last event case.paid (the status comes with case.payment_received, just before)");
        Assert.Equal($"OA-{run}-1", Get(Item(listed, "Items", 0), "Reference"));
        Assert.Equal(0m, Get(Item(listed, "Items", 0), "Balance"));
        Assert.Null(Get(listed, "NextCursor"));
        var export = await api.Call("ExportCasesAsync", api.Enum("CaseStatus", "Paid"), $"OA-{run}-D", null, null, null, null, null);
        using (var file = new StreamReader((Stream)Get(export, "Stream")!))
        {
            Assert.StartsWith($"reference;amount;", await file.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith($"OA-{run}-1;42,50;EUR;2026-09-12;", await file.ReadLineAsync(), StringComparison.Ordinal);
        }

        var events = await api.Call("ListEventsAsync", null, "case.paid", 1000);
        var paidEvent = Enumerable.Range(0, Count(events, "Items")).Select(i => Item(events, "Items", i)).Single(e => (string?)Get(e, "CaseReference") == $"OA-{run}-1");
        Assert.Equal(("case.paid", $"OA-{run}-D"), ((string?)Get(paidEvent, "Type"), (string?)Get(paidEvent, "DebtorReference")));

        var debtor = await api.Call("GetDebtorAsync", $"OA-{run}-D");
        Assert.Equal(api.Enum("DebtorKind", "Consumer"), Get(debtor, "Kind"));
        Assert.Equal(api.Enum("ContactPointViewStatus", "Active"), Get(Item(debtor, "ContactPoints", 0), "Status"));

        var policy = await api.Call("GetPolicyAsync");
        Assert.Equal(api.Enum("StepAction", "Formal_notice"), Get(Item(policy, "Steps", 3), "Action"));
        Assert.Equal(api.Enum("Channel", "Letter"), Item(Item(policy, "Steps", 3), "Channels", 0));

        // Written back as read: Newtonsoft writes "formal_notice", System.Text.Json the C# name "Formal_notice" (see
        // GeneratedClient), which the API reads as the same value.
        var stored = await api.Call("SetPolicyAsync", policy);
        Assert.Equal(api.Enum("StepAction", "Formal_notice"), Get(Item(stored, "Steps", 3), "Action"));

        // Errors arrive as the declared problem: the client throws ApiException<Problem> with its fields.
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => api.Call("GetCaseAsync", $"OA-{run}-NONE"));
        Assert.Equal("ApiException`1", missing.GetType().Name);
        Assert.Equal(404, Get(missing, "StatusCode"));
        Assert.Equal($"no case 'OA-{run}-NONE'", Get(Get(missing, "Result"), "Detail"));
        var invalid = await Assert.ThrowsAnyAsync<Exception>(() => api.Call("CreateCaseAsync", NewCase(api, $"OA-{run}-4", 18.00m, "nope")));
        Assert.Equal(400, Get(Get(invalid, "Result"), "Status"));
        Assert.Equal("debtor.email", Get(Item(Get(invalid, "Result"), "Errors", 0), "Field"));
    }

    private static readonly TimeSpan Projection = TimeSpan.FromSeconds(30);

    private static IEnumerable<int> Ints(object? instance, params string[] properties) => properties.Select(p => (int)Get(instance, p)!);

    private static object NewCase(GeneratedClient api, string reference, decimal amount, string email) =>
        api.New("CaseRequest",
            ("Reference", reference), ("Amount", amount), ("Currency", "EUR"),
            ("IssuedOn", new DateTimeOffset(2026, 9, 12, 0, 0, 0, TimeSpan.Zero)), ("DueOn", new DateTimeOffset(2026, 10, 12, 0, 0, 0, TimeSpan.Zero)),
            ("Label", "Facture du 12/09/2026"),
            ("Debtor", api.New("CaseDebtor",
                ("Reference", reference[..reference.LastIndexOf('-')] + "-D"), ("Kind", api.Enum("DebtorKind", "Consumer")), ("Name", "Marie Durand"), ("Email", email),
                ("Language", api.Enum("CaseDebtorLanguage", "Fr")),
                ("Address", api.New("CaseDebtorAddress", ("Line1", "3 rue des Lilas"), ("PostalCode", "69003"), ("City", "Lyon"), ("Country", "FR"))))));

    /// <summary>One request that must be answered with a status, and the field its <c>errors</c> must name, if any.</summary>
    private sealed record Probe(string Operation, int Status, Func<Task<HttpResponseMessage>> Send, string? Field = null);

    private const string Active = "OA-ERR-ACTIVE";
    private const string Paid = "OA-ERR-PAID";
    private const string UnknownCase = "OA-ERR-NONE";

    private static string CaseJson(string reference, string amount = "42.50", string email = "marie.durand@example.org") => $$"""
        { "reference": "{{reference}}", "amount": {{amount}}, "issuedOn": "2026-09-12", "dueOn": "2026-10-12",
          "debtor": { "reference": "OA-ERR-D1", "name": "Marie Durand", "email": "{{email}}" } }
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static StringContent Text(string body, string type = "text/plain") => new(body, Encoding.UTF8, type);

    /// <summary>
    /// For each operation, a request that would succeed with the right key: what a keyless, a rate-limited or an
    /// unavailable-engine request sends, so that only the key or the engine can be what is wrong with it.
    /// </summary>
    private static readonly Dictionary<string, Func<HttpRequestMessage>> ValidRequests = new()
    {
        ["createCase"] = () => Post("/api/v1/cases", Json(CaseJson("OA-ERR-VALID"))),
        ["createCases"] = () => Post("/api/v1/cases/batch", Json("[]")),
        ["getCase"] = () => new(HttpMethod.Get, $"/api/v1/cases/{Active}"),
        ["listCases"] = () => new(HttpMethod.Get, "/api/v1/cases?status=active"),
        ["exportCases"] = () => new(HttpMethod.Get, "/api/v1/cases/export?status=active"),
        ["listEvents"] = () => new(HttpMethod.Get, "/api/v1/events?types=case.created"),
        ["recordPayment"] = () => Post($"/api/v1/cases/{Active}/payments", Json("""{ "amount": 1.00, "reference": "OA-ERR-VALID" }""")),
        ["holdCase"] = () => Post($"/api/v1/cases/{Active}/hold"),
        ["resumeCase"] = () => Post($"/api/v1/cases/{Active}/resume"),
        ["cancelCase"] = () => Post($"/api/v1/cases/{Active}/cancel"),
        ["resolveDispute"] = () => Post($"/api/v1/cases/{Active}/dispute/resolution", Json("""{ "decision": "uphold" }""")),
        ["decidePlan"] = () => Post($"/api/v1/cases/{Active}/plan/decision", Json("""{ "decision": "accept" }""")),
        ["importCases"] = () => Post("/api/v1/imports", Text("reference,amount,issued_on,due_on,debtor_reference,debtor_name\n", "text/csv")),
        ["listImports"] = () => new(HttpMethod.Get, "/api/v1/imports"),
        ["getDebtor"] = () => new(HttpMethod.Get, "/api/v1/debtors/OA-ERR-D1"),
        ["eraseDebtor"] = () => new(HttpMethod.Delete, "/api/v1/debtors/OA-ERR-NOBODY"),
        ["getPolicy"] = () => new(HttpMethod.Get, "/api/v1/policy"),
        ["setPolicy"] = () => new(HttpMethod.Put, "/api/v1/policy") { Content = Json(JsonSerializer.Serialize(DunningPolicy.Default, ApiJson)) },
        ["promoteVariant"] = () => Post("/api/v1/policy/promote", Json("""{ "variant": "champion" }""")),
        ["getVariantsReport"] = () => new(HttpMethod.Get, "/api/v1/reports/variants"),
        ["getSummaryReport"] = () => new(HttpMethod.Get, "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30"),
        ["getCohortsReport"] = () => new(HttpMethod.Get, "/api/v1/reports/cohorts?by=month"),
        ["getSettings"] = () => new(HttpMethod.Get, "/api/v1/settings"),
        ["setSettings"] = () => new(HttpMethod.Put, "/api/v1/settings") { Content = Json("""{ "address": null, "recoveryIndemnity": false, "lateInterestRate": null }""") },
        ["listLetters"] = () => new(HttpMethod.Get, "/api/v1/letters"),
        ["getLetter"] = () => new(HttpMethod.Get, "/api/v1/letters/msg_00000000000000000000000000000000"),
        ["trackLetter"] = () => Post("/api/v1/letters/msg_00000000000000000000000000000000/tracking", Json("""{ "mode": "registered" }""")),
        ["getDossier"] = () => new(HttpMethod.Get, $"/api/v1/cases/{Active}/dossier?format=json"),
        ["chooseLitigationRoute"] = () => Post($"/api/v1/cases/{Active}/litigation", Json("""{ "route": "small_claims" }""")),
        ["recordLitigationOutcome"] = () => Post($"/api/v1/cases/{Active}/litigation/outcome", Json("""{ "outcome": "failed" }""")),
        ["listLitigation"] = () => new(HttpMethod.Get, "/api/v1/litigation?route=small_claims"),
        ["exportLitigation"] = () => new(HttpMethod.Get, "/api/v1/litigation/export"),
        ["onboardCreditor"] = () => Post("/api/v1/admin/creditors", Json("""{ "name": "Cabinet Sonde" }""")),
        ["createKey"] = () => Post($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys"),
        ["listKeys"] = () => new(HttpMethod.Get, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys"),
        ["revokeKey"] = () => new(HttpMethod.Delete, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys/OA-ERR-NOKEY"),
        ["getCreditor"] = () => new(HttpMethod.Get, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}"),
        ["updateCreditor"] = () => new(HttpMethod.Put, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}") { Content = Json("""{ "commissionRate": 12.5 }""") },
        ["inviteUser"] = () => Post($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/users", Json("""{ "email": "oa-err-valid@example.org", "role": "viewer" }""")),
        ["listUsers"] = () => new(HttpMethod.Get, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/users"),
        ["getStatement"] = () => new(HttpMethod.Get, "/api/v1/statements/2026-11"),
        ["createWebhook"] = () => Post("/api/v1/webhooks", Json("""{ "url": "https://hooks.example.org/recouvrement", "events": ["case.paid"] }""")),
        ["listWebhooks"] = () => new(HttpMethod.Get, "/api/v1/webhooks"),
        ["getWebhook"] = () => new(HttpMethod.Get, $"/api/v1/webhooks/{UnknownWebhook}"),
        ["deleteWebhook"] = () => new(HttpMethod.Delete, $"/api/v1/webhooks/{UnknownWebhook}"),
        ["listWebhookDeliveries"] = () => new(HttpMethod.Get, $"/api/v1/webhooks/{UnknownWebhook}/deliveries"),
    };

    private const string UnknownWebhook = "wh_0000000000000000";

    private static readonly JsonSerializerOptions ApiJson = ApiOptions();

    private static JsonSerializerOptions ApiOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiHosting.Configure(options);
        return options;
    }

    private static HttpRequestMessage Post(string path, HttpContent? content = null) => new(HttpMethod.Post, path) { Content = content };

    [Fact]
    public async Task Every_error_the_document_declares_is_what_the_endpoint_answers_to_one_bad_request_and_no_other()
    {
        using var api = host.Client();
        using var operatorApi = host.Client(EngineHost.OperatorKey);
        await ApiCases.Create(api, Active, "OA-ERR-D1");
        await ApiCases.Create(api, Paid, "OA-ERR-D1");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"/api/v1/cases/{Paid}/payments", Json("""{ "amount": 42.50, "reference": "OA-ERR-P1" }"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"/api/v1/cases/{Active}/payments", Json("""{ "amount": 1.00, "reference": "OA-ERR-P2" }"""))).StatusCode);
        // An address invited to one creditor, which another creditor cannot invite.
        Assert.Equal(HttpStatusCode.Created, (await operatorApi.PostAsync("/api/v1/admin/creditors", Json("""{ "id": "oa-err-second", "name": "Second" }"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await operatorApi.PostAsync($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/users",
            Json("""{ "email": "oa-err-shared@example.org", "role": "agent" }"""))).StatusCode);

        // Keyless requests come from one loopback address, the rate-limited ones from another that spends its allowance
        // just before they are sent (first, well within the window).
        using var keyless = ClientFrom(IPAddress.Parse("127.0.0.2"), key: null);
        using var limited = ClientFrom(IPAddress.Parse("127.0.0.3"), key: "rk_not_a_key");

        // An API tier whose grain calls all fail, as when the silos or their database are away: its key directory never
        // loads, so every creditor request is a 503, and every operator request fails on its first grain call. (Alone, an
        // API tier reads the case list and the feed from PostgreSQL; no request gets that far here.)
        await using var unavailable = await ApiTier.StartAsync(host, client =>
        {
            client.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=9;Timeout=1"));
            client.AddOutgoingGrainCallFilter(call =>
                call.InterfaceMethod?.DeclaringType?.Namespace?.StartsWith("Recouvrement", StringComparison.Ordinal) == true
                    ? throw new TimeoutException("simulated: no silo answers")
                    : call.Invoke());
        });
        using var unavailableApi = unavailable.Client(EngineHost.DemoKey);
        using var unavailableOperator = unavailable.Client(EngineHost.OperatorKey);

        var probes = new List<Probe>();
        foreach (var (operation, valid) in ValidRequests)
        {
            var admin = operation is "onboardCreditor" or "createKey" or "listKeys" or "revokeKey" or "getCreditor" or "updateCreditor" or "inviteUser" or "listUsers";
            probes.Add(new(operation, 401, () => (admin ? api : keyless).SendAsync(valid())));
            probes.Add(new(operation, 429, () => limited.SendAsync(valid())));
            probes.Add(new(operation, 503, () => (admin ? unavailableOperator : unavailableApi).SendAsync(valid())));
        }

        Task<HttpResponseMessage> Send(HttpRequestMessage request) => api.SendAsync(request);
        Task<HttpResponseMessage> AsOperator(HttpRequestMessage request) => operatorApi.SendAsync(request);
        probes.AddRange(
        [
            new("createCase", 400, () => Send(Post("/api/v1/cases", Json(CaseJson("OA-ERR-1", amount: "\"12,5x\"")))), "amount"),
            new("createCase", 409, () => Send(Post("/api/v1/cases", Json(CaseJson(Active, amount: "43.00"))))),
            new("createCase", 413, () => Send(Post("/api/v1/cases", Json(new string(' ', (int)CasesApi.SingleBodyLimit) + CaseJson("OA-ERR-2"))))),
            new("createCase", 415, () => Send(Post("/api/v1/cases", Text(CaseJson("OA-ERR-3"))))),
            new("createCases", 400, () => Send(Post("/api/v1/cases/batch", Json("""{ "items": [] }""")))),
            new("createCases", 413, () => Send(Post("/api/v1/cases/batch", Json("[" + string.Join(',', Enumerable.Repeat("{}", CasesApi.MaxBatchItems + 1)) + "]")))),
            new("createCases", 415, () => Send(Post("/api/v1/cases/batch", Text("[]")))),
            new("getCase", 404, () => Send(new(HttpMethod.Get, $"/api/v1/cases/{UnknownCase}"))),
            new("listCases", 400, () => Send(new(HttpMethod.Get, "/api/v1/cases?limit=0")), "limit"),
            new("exportCases", 400, () => Send(new(HttpMethod.Get, "/api/v1/cases/export?status=unpaid")), "status"),
            new("listEvents", 400, () => Send(new(HttpMethod.Get, "/api/v1/events?types=case.forgotten")), "types"),
            new("recordPayment", 400, () => Send(Post($"/api/v1/cases/{Active}/payments", Json("""{ "amount": "abc", "reference": "OA-ERR-P3" }"""))), "amount"),
            new("recordPayment", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/payments", Json("""{ "amount": 1.00, "reference": "OA-ERR-P4" }""")))),
            new("recordPayment", 409, () => Send(Post($"/api/v1/cases/{Active}/payments", Json("""{ "amount": 2.00, "reference": "OA-ERR-P2" }""")))),
            new("recordPayment", 415, () => Send(Post($"/api/v1/cases/{Active}/payments", Text("""{ "amount": 1.00, "reference": "OA-ERR-P5" }""")))),
            new("holdCase", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/hold"))),
            new("holdCase", 409, () => Send(Post($"/api/v1/cases/{Paid}/hold"))),
            new("resumeCase", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/resume"))),
            new("resumeCase", 409, () => Send(Post($"/api/v1/cases/{Paid}/resume"))),
            new("cancelCase", 400, () => Send(Post($"/api/v1/cases/{Active}/cancel", Json("""{ "reason": 5 }"""))), "reason"),
            new("cancelCase", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/cancel"))),
            new("cancelCase", 409, () => Send(Post($"/api/v1/cases/{Paid}/cancel"))),
            new("cancelCase", 415, () => Send(Post($"/api/v1/cases/{Active}/cancel", Text("""{ "reason": "paid at the counter" }""")))),
            new("resolveDispute", 400, () => Send(Post($"/api/v1/cases/{Active}/dispute/resolution", Json("""{ "decision": "maybe" }"""))), "decision"),
            new("resolveDispute", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/dispute/resolution", Json("""{ "decision": "uphold" }""")))),
            new("resolveDispute", 409, () => Send(Post($"/api/v1/cases/{Active}/dispute/resolution", Json("""{ "decision": "uphold" }""")))),
            new("resolveDispute", 415, () => Send(Post($"/api/v1/cases/{Active}/dispute/resolution", Text("""{ "decision": "uphold" }""")))),
            new("decidePlan", 400, () => Send(Post($"/api/v1/cases/{Active}/plan/decision", Json("""{ "decision": "maybe" }"""))), "decision"),
            new("decidePlan", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/plan/decision", Json("""{ "decision": "accept" }""")))),
            new("decidePlan", 409, () => Send(Post($"/api/v1/cases/{Active}/plan/decision", Json("""{ "decision": "accept" }""")))),
            new("decidePlan", 415, () => Send(Post($"/api/v1/cases/{Active}/plan/decision", Text("""{ "decision": "accept" }""")))),
            new("importCases", 400, () => Send(Post("/api/v1/imports", Text("reference;due_on\nOA-ERR-4;2026-10-12\n", "text/csv"))), "amount"),
            new("importCases", 413, () => Send(Post("/api/v1/imports", Text("reference\n" + string.Concat(Enumerable.Repeat("x\n", ImportsLimit + 1)), "text/csv")))),
            new("importCases", 415, () => Send(Post("/api/v1/imports", Json("[]")))),
            new("getDebtor", 404, () => Send(new(HttpMethod.Get, "/api/v1/debtors/OA-ERR-NOBODY"))),
            new("eraseDebtor", 404, () => Send(new(HttpMethod.Delete, "/api/v1/debtors/OA-ERR-NOBODY"))),
            new("setPolicy", 400, () => Send(new(HttpMethod.Put, "/api/v1/policy") { Content = Json("""{ "steps": [], "escalationThreshold": 40 }""") }), "steps"),
            new("setPolicy", 415, () => Send(new(HttpMethod.Put, "/api/v1/policy") { Content = Text(JsonSerializer.Serialize(DunningPolicy.Default, ApiJson)) })),
            new("promoteVariant", 400, () => Send(Post("/api/v1/policy/promote", Json("""{ "variant": " " }"""))), "variant"),
            new("promoteVariant", 409, () => Send(Post("/api/v1/policy/promote", Json("""{ "variant": "OA-ERR-NOVARIANT" }""")))),
            new("promoteVariant", 415, () => Send(Post("/api/v1/policy/promote", Text("""{ "variant": "champion" }""")))),
            new("setSettings", 400, () => Send(new(HttpMethod.Put, "/api/v1/settings") { Content = Json("""{ "recoveryIndemnity": false, "lateInterestRate": 500 }""") }), "lateInterestRate"),
            new("setSettings", 415, () => Send(new(HttpMethod.Put, "/api/v1/settings") { Content = Text("""{ "recoveryIndemnity": false }""") })),
            new("getLetter", 404, () => Send(new(HttpMethod.Get, "/api/v1/letters/msg_00000000000000000000000000000000"))),
            new("trackLetter", 400, () => Send(Post("/api/v1/letters/msg_00000000000000000000000000000000/tracking", Json("""{ "mode": "pigeon" }"""))), "mode"),
            new("trackLetter", 404, () => Send(Post("/api/v1/letters/msg_00000000000000000000000000000000/tracking", Json("""{ "mode": "registered" }""")))),
            new("trackLetter", 415, () => Send(Post("/api/v1/letters/msg_00000000000000000000000000000000/tracking", Text("""{ "mode": "registered" }""")))),
            new("getDossier", 400, () => Send(new(HttpMethod.Get, $"/api/v1/cases/{Active}/dossier?format=doc")), "format"),
            new("getDossier", 404, () => Send(new(HttpMethod.Get, $"/api/v1/cases/{UnknownCase}/dossier"))),
            new("chooseLitigationRoute", 400, () => Send(Post($"/api/v1/cases/{Active}/litigation", Json("{}"))), "route"),
            new("chooseLitigationRoute", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/litigation", Json("""{ "route": "small_claims" }""")))),
            new("chooseLitigationRoute", 409, () => Send(Post($"/api/v1/cases/{Active}/litigation", Json("""{ "route": "small_claims" }""")))),
            new("chooseLitigationRoute", 415, () => Send(Post($"/api/v1/cases/{Active}/litigation", Text("""{ "route": "small_claims" }""")))),
            new("recordLitigationOutcome", 400, () => Send(Post($"/api/v1/cases/{Active}/litigation/outcome", Json("{}"))), "outcome"),
            new("recordLitigationOutcome", 404, () => Send(Post($"/api/v1/cases/{UnknownCase}/litigation/outcome", Json("""{ "outcome": "failed" }""")))),
            new("recordLitigationOutcome", 409, () => Send(Post($"/api/v1/cases/{Active}/litigation/outcome", Json("""{ "outcome": "failed" }""")))),
            new("recordLitigationOutcome", 415, () => Send(Post($"/api/v1/cases/{Active}/litigation/outcome", Text("""{ "outcome": "failed" }""")))),
            new("listLitigation", 400, () => Send(new(HttpMethod.Get, "/api/v1/litigation?route=court")), "route"),
            new("exportLitigation", 400, () => Send(new(HttpMethod.Get, "/api/v1/litigation/export?status=concluded")), "status"),
            new("onboardCreditor", 400, () => AsOperator(Post("/api/v1/admin/creditors", Json("""{ "id": "Not An Id", "name": "Cabinet Sonde" }"""))), "id"),
            new("onboardCreditor", 409, () => AsOperator(Post("/api/v1/admin/creditors", Json($$"""{ "id": "{{EngineHost.DemoCreditor}}", "name": "Encore" }""")))),
            new("onboardCreditor", 415, () => AsOperator(Post("/api/v1/admin/creditors", Text("""{ "name": "Cabinet Sonde" }""")))),
            new("createKey", 404, () => AsOperator(Post("/api/v1/admin/creditors/oa-err-nobody/keys"))),
            new("listKeys", 404, () => AsOperator(new(HttpMethod.Get, "/api/v1/admin/creditors/oa-err-nobody/keys"))),
            new("revokeKey", 404, () => AsOperator(new(HttpMethod.Delete, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys/OA-ERR-NOKEY"))),
            new("getCreditor", 404, () => AsOperator(new(HttpMethod.Get, "/api/v1/admin/creditors/oa-err-nobody"))),
            new("updateCreditor", 400, () => AsOperator(new(HttpMethod.Put, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}") { Content = Json("""{ "commissionRate": 100.5 }""") }), "commissionRate"),
            new("updateCreditor", 404, () => AsOperator(new(HttpMethod.Put, "/api/v1/admin/creditors/oa-err-nobody") { Content = Json("""{ "commissionRate": 5 }""") })),
            new("updateCreditor", 415, () => AsOperator(new(HttpMethod.Put, $"/api/v1/admin/creditors/{EngineHost.DemoCreditor}") { Content = Text("""{ "commissionRate": 5 }""") })),
            new("inviteUser", 400, () => AsOperator(Post($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/users", Json("""{ "email": "not an address", "role": "viewer" }"""))), "email"),
            new("inviteUser", 404, () => AsOperator(Post("/api/v1/admin/creditors/oa-err-nobody/users", Json("""{ "email": "oa-err-1@example.org", "role": "viewer" }""")))),
            new("inviteUser", 409, () => AsOperator(Post("/api/v1/admin/creditors/oa-err-second/users", Json("""{ "email": "oa-err-shared@example.org", "role": "viewer" }""")))),
            new("inviteUser", 415, () => AsOperator(Post($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/users", Text("""{ "email": "oa-err-2@example.org", "role": "viewer" }""")))),
            new("listUsers", 404, () => AsOperator(new(HttpMethod.Get, "/api/v1/admin/creditors/oa-err-nobody/users"))),
            new("getStatement", 400, () => Send(new(HttpMethod.Get, "/api/v1/statements/2026-13")), "month"),
            new("getSummaryReport", 400, () => Send(new(HttpMethod.Get, "/api/v1/reports/summary?from=2026-02-30")), "from"),
            new("getCohortsReport", 400, () => Send(new(HttpMethod.Get, "/api/v1/reports/cohorts?by=quarter")), "by"),
            new("createWebhook", 400, () => Send(Post("/api/v1/webhooks", Json("""{ "url": "https://hooks.example.org/recouvrement", "events": [] }"""))), "events"),
            new("createWebhook", 415, () => Send(Post("/api/v1/webhooks", Text("""{ "url": "https://hooks.example.org/recouvrement", "events": ["*"] }""")))),
            new("getWebhook", 404, () => Send(new(HttpMethod.Get, $"/api/v1/webhooks/{UnknownWebhook}"))),
            new("deleteWebhook", 404, () => Send(new(HttpMethod.Delete, $"/api/v1/webhooks/{UnknownWebhook}"))),
            new("listWebhookDeliveries", 404, () => Send(new(HttpMethod.Get, $"/api/v1/webhooks/{UnknownWebhook}/deliveries"))),
        ]);

        var declared = DeclaredErrors(await Document());
        var probed = probes.Select(p => (p.Operation, p.Status)).ToHashSet();
        Assert.True(declared.SetEquals(probed),
            "declared but not produced by the table: " + string.Join(", ", declared.Except(probed))
            + "; produced by the table but not declared: " + string.Join(", ", probed.Except(declared)));

        for (var i = 0; i < Host.FailedAuthentications; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await limited.GetAsync("/api/v1/policy")).StatusCode);
        }

        var wrong = new List<string>();
        foreach (var probe in probes.OrderBy(p => p.Status != 429))
        {
            using var response = await probe.Send();
            var body = await response.Content.ReadAsStringAsync();
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonNode.Parse(body) : null;
            var fields = problem?["errors"]?.AsArray().Select(e => e?["field"]?.GetValue<string>()).ToList() ?? [];
            var retryAfterDeclared = probe.Status is 429 or 503;
            if ((int)response.StatusCode != probe.Status || problem?["status"]?.GetValue<int>() != probe.Status
                || probe.Field is { } field && !fields.Contains(field)
                || retryAfterDeclared && response.Headers.RetryAfter?.Delta is not { TotalSeconds: > 0 })
            {
                wrong.Add($"{probe.Operation} expected {probe.Status}{(probe.Field is null ? "" : $" naming '{probe.Field}'")}{(retryAfterDeclared ? " with Retry-After" : "")}: got {(int)response.StatusCode} {response.Content.Headers.ContentType} Retry-After {response.Headers.RetryAfter} {body[..Math.Min(body.Length, 300)]}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private const int ImportsLimit = Recouvrement.Api.Imports.ImportsApi.MaxLines;

    /// <summary>Every (operationId, error status) the document declares.</summary>
    private static HashSet<(string Operation, int Status)> DeclaredErrors(JsonNode document) =>
        Operations(document)
            .SelectMany(o => o.Operation["responses"]!.AsObject().Select(r => (Id: o.Operation["operationId"]!.GetValue<string>(), Status: int.Parse(r.Key, null))))
            .Where(e => e.Status >= 400)
            .ToHashSet();

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(method => (path.Key, method.Key, method.Value!)));

    /// <summary>A client whose connections leave from this loopback address, so that its requests count apart for rate limits.</summary>
    private HttpClient ClientFrom(IPAddress address, string? key)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(address, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = host.BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    [Fact]
    public async Task The_document_holds_only_the_api_with_its_bearer_schemes_and_the_enums_as_the_api_writes_them()
    {
        var document = await Document();

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.All(paths, path => Assert.StartsWith("/api/v1/", path, StringComparison.Ordinal));
        Assert.DoesNotContain(paths, path => path.Contains("dashboard", StringComparison.Ordinal) || path.Contains("metrics", StringComparison.Ordinal)
            || path.Contains("health", StringComparison.Ordinal) || path.StartsWith("/webhooks", StringComparison.Ordinal));
        Assert.Equal(ValidRequests.Keys.Order(), Operations(document).Select(o => o.Operation["operationId"]!.GetValue<string>()).Order());

        var schemes = document["components"]!["securitySchemes"]!;
        foreach (var scheme in new[] { OpenApiContract.CreditorKey, OpenApiContract.OperatorKey })
        {
            Assert.Equal("http", schemes[scheme]!["type"]!.GetValue<string>());
            Assert.Equal("bearer", schemes[scheme]!["scheme"]!.GetValue<string>());
        }

        Assert.All(Operations(document), o => Assert.Equal(
            o.Path.StartsWith("/api/v1/admin/", StringComparison.Ordinal) ? OpenApiContract.OperatorKey : OpenApiContract.CreditorKey,
            o.Operation["security"]!.AsArray().Single()!.AsObject().Single().Key));

        var schemas = document["components"]!["schemas"]!;
        AssertEnumAsWritten<CaseStatus>(schemas["CaseStatus"]!);
        AssertEnumAsWritten<StepAction>(schemas["StepAction"]!);
        AssertEnumAsWritten<Channel>(schemas["Channel"]!);
        AssertEnumAsWritten<DebtorKind>(schemas["DebtorKind"]!);
        AssertEnumAsWritten<IntakeStatus>(schemas["IntakeStatus"]!);
        AssertEnumAsWritten<WebhookStatus>(schemas["WebhookStatus"]!);
        Assert.Equal(["#/components/schemas/IntakeStatus"], new[] { schemas["BatchItemResult"]!, schemas["LineResult"]! }.Select(s => s["properties"]!["status"]!["$ref"]!.GetValue<string>()).Distinct());
        Assert.Equal(["active", "disabled", "opted_out"], Values(schemas["ContactPointView"]!["properties"]!["status"]!));
        Assert.Equal(["uphold", "reject"], Values(schemas["DisputeResolution"]!["properties"]!["decision"]!));

        // The reports are typed down to their points.
        Assert.Equal("#/components/schemas/PortfolioFigures", schemas["SummaryReport"]!["properties"]!["portfolio"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/CurvePoint", schemas["Cohort"]!["properties"]!["points"]!["items"]!["$ref"]!.GetValue<string>());
        Assert.Equal(("number", "decimal"), (schemas["PeriodFigures"]!["properties"]!["recovered"]!["type"]!.GetValue<string>(), schemas["PeriodFigures"]!["properties"]!["recovered"]!["format"]!.GetValue<string>()));

        // Money is a decimal number, never a string nor a double; every problem is problem+json with the errors[] shape.
        Assert.Equal(("number", "decimal"), (schemas["CaseView"]!["properties"]!["balance"]!["type"]!.GetValue<string>(), schemas["CaseView"]!["properties"]!["balance"]!["format"]!.GetValue<string>()));
        Assert.Equal("#/components/schemas/FieldError", schemas["Problem"]!["properties"]!["errors"]!["items"]!["$ref"]!.GetValue<string>());
        var errors = Operations(document).SelectMany(o => o.Operation["responses"]!.AsObject()).Where(r => int.Parse(r.Key, null) >= 400).ToList();
        Assert.All(errors, r => Assert.Equal("#/components/schemas/Problem", r.Value!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>()));
        Assert.All(errors, r => Assert.Equal(r.Key is "429" or "503", r.Value!["headers"]?["Retry-After"] is not null));

        // The declared case body is the one the handler reads by hand, field for field.
        Assert.Equal(JsonFieldNames().Order(), CaseRequestFields(schemas, "CaseRequest", string.Empty).Order());
        Assert.NotNull(schemas["CaseRequest"]!["examples"]);
    }

    private static void AssertEnumAsWritten<T>(JsonNode schema)
        where T : struct, Enum =>
        Assert.Equal(System.Enum.GetValues<T>().Select(v => JsonSerializer.Serialize(v, ApiJson).Trim('"')), Values(schema));

    private static List<string> Values(JsonNode schema)
    {
        Assert.Equal("string", schema["type"]!.GetValue<string>());
        return [.. schema["enum"]!.AsArray().Select(v => v!.GetValue<string>())];
    }

    private static IEnumerable<string> JsonFieldNames() =>
        typeof(FieldNames).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (string)p.GetValue(FieldNames.Json)!);

    /// <summary>The leaf fields of a schema as JSON paths (<c>debtor.address.city</c>), following references.</summary>
    private static IEnumerable<string> CaseRequestFields(JsonNode schemas, string name, string prefix)
    {
        foreach (var (field, schema) in schemas[name]!["properties"]!.AsObject())
        {
            var reference = schema!["$ref"] ?? schema["oneOf"]?.AsArray().Select(s => s?["$ref"]).FirstOrDefault(r => r is not null);
            var target = reference?.GetValue<string>().Split('/')[^1];
            if (target is not null && schemas[target]!["properties"] is not null)
            {
                foreach (var nested in CaseRequestFields(schemas, target, prefix + field + "."))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return prefix + field;
            }
        }
    }
}
