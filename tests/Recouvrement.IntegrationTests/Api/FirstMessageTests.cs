using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>
/// What a creditor waits for after intake, at real speed: the engine clock runs at 1 second per second from a
/// Tuesday 10:00, inside the send window, with the embedded default's in-memory storage and reminders.
/// </summary>
public sealed class FirstMessageTests
{
    private sealed class TuesdayMorning : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs =>
        [
            "--Recouvrement:Clock:Start=2026-12-01T10:00:00+01:00",
            "--Recouvrement:Contact:ConsolidationDelay=00:00:05",
        ];
    }

    [Fact]
    public async Task A_case_overdue_since_last_week_fed_in_an_open_window_reaches_the_outbox_within_seconds()
    {
        var host = new TuesdayMorning();
        await host.InitializeAsync();
        try
        {
            using var api = host.Client();
            var created = await api.PostAsJsonAsync("/api/v1/cases", new
            {
                reference = "FAC-NOW-1", amount = 42.50m, issuedOn = "2026-10-24", dueOn = "2026-11-24",
                debtor = new { reference = "PAT-NOW-1", kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            // Its first step is due at once and the debtor waits 5 s for other cases to join: a few seconds in all.
            // A reminder registered for "now" would fire only after its retry period, an hour later.
            var message = await Eventually.Get(
                () => Task.FromResult(Directory.GetFiles(host.OutboxFolder, "msg_*.json")),
                files => files.Length > 0,
                TimeSpan.FromSeconds(30),
                "the first e-mail of a case fed overdue in an open window to reach the outbox");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Assert.Single(message)));
            Assert.Equal("marie@example.org", json.RootElement.GetProperty("recipient").GetString());
            Assert.Equal("FAC-NOW-1", json.RootElement.GetProperty("cases")[0].GetProperty("reference").GetString());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
