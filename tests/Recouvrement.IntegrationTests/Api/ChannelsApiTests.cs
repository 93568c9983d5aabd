using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Recouvrement.Channels;
using Recouvrement.Messaging;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>The creditor's settings and letters over HTTP, against the real single-node host.</summary>
public sealed class ChannelsApiTests(EngineHost host) : IClassFixture<EngineHost>
{
    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Settings_are_validated_and_kept()
    {
        using var api = host.Client();
        var bad = await api.PutAsJsonAsync("/api/v1/settings", new
        {
            address = new { line1 = "", postalCode = "69007", city = "Lyon", country = "France" }, recoveryIndemnity = true, lateInterestRate = 150,
            plans = new { minInstalment = 0, maxInstalments = 60 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["address.line1", "address.country", "lateInterestRate", "plans.minInstalment", "plans.maxInstalments"],
            (await Body(bad))["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()));

        var good = await api.PutAsJsonAsync("/api/v1/settings", new { address = new { line1 = "8 avenue Jean Jaurès", postalCode = "69007", city = "Lyon", country = "fr" }, recoveryIndemnity = true, lateInterestRate = 12.15 });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var stored = await Body(await api.GetAsync("/api/v1/settings"));
        Assert.Equal("FR", stored["address"]!["country"]!.GetValue<string>());
        Assert.Equal(12.15m, stored["lateInterestRate"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_debtor_language_other_than_french_or_english_is_refused_and_phones_are_stored_in_e164()
    {
        using var api = host.Client();
        var body = new
        {
            reference = "LANG-1", amount = 20, issuedOn = "2026-09-12", dueOn = "2026-10-12",
            debtor = new { reference = "PAT-L", kind = "consumer", name = "John Smith", phone = "0612345678", language = "de" },
        };
        var refused = await api.PostAsJsonAsync("/api/v1/cases", body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("debtor.language", (await Body(refused))["errors"]![0]!["field"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", body with { debtor = body.debtor with { language = "en" } })).StatusCode);
        var debtor = await Body(await api.GetAsync("/api/v1/debtors/PAT-L"));
        Assert.Equal("+33612345678", debtor["contactPoints"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_creditor_answers_disputes_and_plan_proposals()
    {
        using var api = host.Client();
        foreach (var reference in new[] { "ANS-1", "ANS-2" })
        {
            await ApiCases.Create(api, reference, "PAT-ANS");
        }

        var grains = host.Grains;
        await grains.GetGrain<ICaseGrain>($"{EngineHost.DemoCreditor}/ANS-1").Dispute("wrong_amount", "Déjà remboursé");
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/cases/ANS-1/dispute/resolution", new { decision = "reject" })).StatusCode); // a rejection says why
        var rejected = await Body(await api.PostAsJsonAsync("/api/v1/cases/ANS-1/dispute/resolution", new { decision = "reject", note = "Le remboursement concernait une autre facture." }));
        Assert.Equal("active", rejected["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync("/api/v1/cases/ANS-1/dispute/resolution", new { decision = "uphold" })).StatusCode); // no dispute open any more

        var proposed = await grains.GetGrain<ICaseGrain>($"{EngineHost.DemoCreditor}/ANS-2").ProposePlan(10); // more than 6 instalments: the creditor decides
        Assert.Equal(10, proposed.Case!.PlanProposal!.Instalments);
        var refused = await Body(await api.PostAsJsonAsync("/api/v1/cases/ANS-2/plan/decision", new { decision = "refuse", note = "10 mois, c'est trop" }));
        Assert.Null(refused["planProposal"]);
        Assert.Contains(refused["history"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "plan_refused");
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/cases/ANS-2/plan/decision", new { decision = "maybe" })).StatusCode);
    }

    [Fact]
    public async Task Letters_in_the_print_folder_are_listed_and_served_to_their_creditor_only()
    {
        var options = new LetterOptions { Path = host.LettersFolder };
        var letters = new LetterChannel(Options.Create(options), Options.Create(new AgencyOptions()), new LetterPdf(options));
        const string id = "msg_ffeeddccbbaa99887766554433221100";
        var message = new OutgoingMessage(id, "demo", "PAT-9", Channel.Letter, ContactKind.FormalNotice, "Marie Durand", "Mise en demeure", "## MISE EN DEMEURE\nTexte.",
            "https://pay.example.fr/p/x", [new MessageCase("FAC-9", 3, new DateOnly(2026, 10, 4), 42.50m, "EUR")], DateTimeOffset.UtcNow)
        {
            Parties = new LetterParties("Marie Durand", DebtorKind.Consumer, new PostalAddress("3 rue des Lilas", "69003", "Lyon", "FR"), "Laboratoire Démo", null),
        };
        Assert.Equal(SendStatus.Sent, (await letters.SendAsync(message)).Status);

        using var api = host.Client();
        var list = await Body(await api.GetAsync("/api/v1/letters?debtor=PAT-9"));
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal((id, "R-FFEEDDCC", "formal_notice"), (item["id"]!.GetValue<string>(), item["reference"]!.GetValue<string>(), item["kind"]!.GetValue<string>()));
        var pdf = await api.GetAsync(item["pdf"]!.GetValue<string>());
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal("%PDF"u8.ToArray(), (await pdf.Content.ReadAsByteArrayAsync())[..4]);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/letters/../../etc")).StatusCode);
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var other = (await Body(await operatorClient.PostAsJsonAsync("/api/v1/admin/creditors", new { id = "labo-letters", name = "Autre labo" })))["apiKey"]!.GetValue<string>();
        using var otherApi = host.Client(other);
        Assert.Empty((await Body(await otherApi.GetAsync("/api/v1/letters")))["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/v1/letters/{id}")).StatusCode);
    }
}
