using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Grains;

/// <summary>Whole case lives on an in-process cluster with a fake clock: two months in seconds.</summary>
public sealed class CaseLifeTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private static readonly DateOnly DueOn = new(2026, 11, 3); // a Tuesday
    private FakeClockCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await StartAsync(Paris(2026, 11, 3, 10));
        Assert.True(await _cluster.Grains.GetGrain<ICreditorGrain>(Creditor).Onboard("Laboratoire Exemple"));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_unpaid_case_gets_its_reminders_formal_notice_and_final_decision_on_the_right_days()
    {
        var creation = await _cluster.CreateCase(Creditor, Drafts.Case(amount: 420m, dueOn: DueOn)); // worth the small claims
        Assert.Equal(CreationOutcome.Created, creation.Outcome);

        await _cluster.RunUntil(Paris(2027, 1, 5, 12));

        var sent = _cluster.Channel.Messages.Select(m => (ParisLocal(m.CreatedAt), m.Channel, m.Kind)).ToList();
        Assert.Equal(
        [
            ("2026-11-04 08:00", Channel.Email, ContactKind.Reminder),
            ("2026-11-04 08:00", Channel.Sms, ContactKind.Reminder),
            ("2026-11-12 08:00", Channel.Sms, ContactKind.Reminder), // D+8 is 11 November, a holiday
            ("2026-11-18 08:00", Channel.Email, ContactKind.Reminder),
            ("2026-11-25 08:00", Channel.Email, ContactKind.FormalNotice),
            ("2026-11-25 08:00", Channel.Letter, ContactKind.FormalNotice),
        ], sent);

        var view = (await _cluster.Case(Creditor, "FAC-1").Get())!;
        Assert.Equal(CaseStatus.Escalated, view.Status);
        Assert.Equal(5, view.Stage);
        Assert.Null(view.NextStep);
        Assert.Equal("2026-12-10 00:00", ParisLocal(view.History.Single(e => e.Kind == "escalated").At));
        Assert.Equal(6, view.History.Count(e => e.Kind == "contacted"));
        Assert.Equal(5, Directory.GetFiles(_cluster.OutboxFolder, "*.json").Length);
        Assert.Single(Directory.GetFiles(Path.Combine(_cluster.OutboxFolder, "letters", Creditor), "*.pdf"));
    }

    [Fact]
    public async Task A_payment_on_day_10_stops_all_later_messages()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn));
        await _cluster.RunUntil(Paris(2026, 11, 13, 11));
        Assert.Equal(3, _cluster.Channel.Messages.Count);

        var paid = await _cluster.Case(Creditor, "FAC-1").RecordPayment(new PaymentReceipt("VIR-778", 42.50m, "EUR", new DateOnly(2026, 11, 13), "bank_transfer"));
        Assert.Equal(CaseActionOutcome.Applied, paid.Outcome);
        Assert.Equal(CaseStatus.Paid, paid.Case!.Status);

        await _cluster.RunUntil(Paris(2027, 1, 31, 12));
        Assert.Equal(3, _cluster.Channel.Messages.Count);
        var debtor = (await _cluster.Debtor(Creditor, "PAT-1").Get())!;
        Assert.Empty(debtor.OpenCases);
        Assert.Null(debtor.NextContactAt);
    }

    [Fact]
    public async Task Three_cases_of_one_debtor_due_the_same_day_produce_one_message_per_channel()
    {
        foreach (var reference in new[] { "FAC-1", "FAC-2", "FAC-3" })
        {
            await _cluster.CreateCase(Creditor, Drafts.Case(reference, dueOn: DueOn));
        }

        await _cluster.RunUntil(Paris(2026, 11, 4, 12));

        var messages = _cluster.Channel.Messages;
        Assert.Equal([Channel.Email, Channel.Sms], messages.Select(m => m.Channel));
        Assert.All(messages, m => Assert.Equal(["FAC-1", "FAC-2", "FAC-3"], m.Cases.Select(c => c.Reference).Order()));
        Assert.Contains("3 factures", messages[1].Body, StringComparison.Ordinal);
        Assert.Contains("127,50", messages[1].Body, StringComparison.Ordinal);
        Assert.All(messages, m => Assert.DoesNotContain("lipidique", m.Body, StringComparison.OrdinalIgnoreCase)); // the lab's label is never sent
    }

    [Fact]
    public async Task A_held_case_is_not_reminded_and_gets_its_withheld_reminder_when_resumed()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn));
        await _cluster.RunUntil(Paris(2026, 11, 4, 3)); // step one asked at midnight, the window opens at 08:00
        Assert.Equal(CaseActionOutcome.Applied, (await _cluster.Case(Creditor, "FAC-1").Hold()).Outcome);

        await _cluster.RunUntil(Paris(2026, 11, 30, 12));
        Assert.Empty(_cluster.Channel.Messages);

        Assert.Equal(CaseStatus.Active, (await _cluster.Case(Creditor, "FAC-1").Resume()).Case!.Status);
        await _cluster.RunUntil(Paris(2026, 12, 1, 12));
        Assert.Equal([("2026-11-30 12:10", Channel.Email), ("2026-11-30 12:10", Channel.Sms)],
            _cluster.Channel.Messages.Select(m => (ParisLocal(m.CreatedAt), m.Channel)));
        var resumed = (await _cluster.Case(Creditor, "FAC-1").Get())!;
        Assert.Equal("2026-12-07 09:00", ParisLocal(resumed.NextStep!.At)); // 11 Nov 00:00 shifted by the 26 days 9 hours on hold
    }

    [Fact]
    public async Task A_cancelled_case_is_closed_and_never_reminded()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn));
        var cancelled = await _cluster.Case(Creditor, "FAC-1").Cancel("billing error");
        Assert.Equal(CaseStatus.Closed, cancelled.Case!.Status);
        await _cluster.RunUntil(Paris(2027, 1, 31, 12));
        Assert.Empty(_cluster.Channel.Messages);
    }

    private static string ParisLocal(DateTimeOffset instant) =>
        Recouvrement.Calendar.ParisTime.ToParis(instant).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
