using Recouvrement.Messaging;
using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Grains;

/// <summary>Disputes, payment plans and prescription on an in-process cluster with a fake clock.</summary>
public sealed class DebtorSideTests : IAsyncLifetime
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

    private ICaseGrain Case(string reference = "FAC-1") => _cluster.Case(Creditor, reference);

    private static string Day(DateTimeOffset instant) => Calendar.ParisTime.DateOf(instant).ToString("yyyy-MM-dd", null);

    [Fact]
    public async Task A_dispute_stops_every_pending_message_even_one_due_in_the_open_window()
    {
        // Fed a day late, the case asks at once (10:00, an open window); the debtor sends at 10:10.
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn.AddDays(-1)));
        await _cluster.RunUntil(Paris(2026, 11, 3, 10, 5));
        var dispatch = (await _cluster.Debtor(Creditor, "PAT-1").Get())!.NextContactAt!.Value;
        Assert.InRange(dispatch, Paris(2026, 11, 3, 10, 10), Paris(2026, 11, 3, 10, 10).AddSeconds(1)); // the step ran a few ms late

        var disputed = await Case().Dispute("already_paid", "J'ai payé au guichet le 20 octobre.");
        Assert.Equal(CaseStatus.Disputed, disputed.Case!.Status);
        Assert.Equal("already_paid", disputed.Case.Dispute!.Reason);

        await _cluster.RunUntil(Paris(2027, 1, 31, 12));
        Assert.Empty(_cluster.Channel.Messages);
        Assert.Null((await _cluster.Debtor(Creditor, "PAT-1").Get())!.NextContactAt);
        Assert.Contains((await Case().Get())!.History, e => e.Kind == "disputed" && e.Detail!.Contains("guichet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_dispute_resumes_collection_with_a_message_that_says_why()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn));
        await _cluster.RunUntil(Paris(2026, 11, 5, 12)); // D+1 sent
        await Case().Dispute("wrong_amount", null);
        await _cluster.RunUntil(Paris(2026, 11, 20, 12));
        Assert.Equal(2, _cluster.Channel.Messages.Count);

        var rejected = await Case().ResolveDispute(uphold: false, "Le paiement du 20 octobre concernait une autre facture.");
        Assert.Equal(CaseStatus.Active, rejected.Case!.Status);
        await _cluster.RunUntil(Paris(2026, 11, 23, 12));
        var answer = _cluster.Channel.Messages.Single(m => m.Kind == ContactKind.DisputeAnswer);
        Assert.Equal(Channel.Email, answer.Channel);
        Assert.Contains("Motif : « Le paiement du 20 octobre concernait une autre facture. »", answer.Body, StringComparison.Ordinal);

        // The schedule went on from where the dispute paused it: D+8's SMS (11 Nov 00:00), 15 days late.
        await _cluster.RunUntil(Paris(2026, 11, 30, 12));
        Assert.Contains(_cluster.Channel.Messages, m => m.Channel == Channel.Sms && m.Kind == ContactKind.Reminder && Day(m.CreatedAt) == "2026-11-26");
    }

    [Fact]
    public async Task An_upheld_dispute_closes_the_case()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn));
        await Case().Dispute("not_mine", "Je ne suis pas la patiente.");
        var upheld = await Case().ResolveDispute(uphold: true, "Homonyme");
        Assert.Equal((CaseStatus.Closed, "dispute_upheld"), (upheld.Case!.Status, upheld.Case.ClosedReason));
        await _cluster.RunUntil(Paris(2027, 1, 31, 12));
        Assert.Empty(_cluster.Channel.Messages);
    }

    [Fact]
    public async Task A_missed_instalment_ends_the_plan_and_dunning_resumes_where_it_was()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(amount: 90m, dueOn: DueOn));
        await _cluster.RunUntil(Paris(2026, 11, 5, 12)); // D+1 sent
        var agreed = await Case().ProposePlan(3);
        Assert.Equal(CaseStatus.PaymentPlan, agreed.Case!.Status);
        Assert.Equal([(new DateOnly(2026, 11, 12), 30m), (new DateOnly(2026, 12, 12), 30m), (new DateOnly(2027, 1, 12), 30m)],
            agreed.Case.Plan!.Instalments.Select(i => (i.DueOn, i.Amount)));

        await _cluster.RunUntil(Paris(2026, 11, 10, 12)); // notice of instalment 1, three days before
        var notice = _cluster.Channel.Messages.Where(m => m.Kind == ContactKind.InstalmentDue).ToList();
        Assert.Equal([Channel.Email, Channel.Sms], notice.Select(m => m.Channel));
        Assert.Contains("30,00", notice[0].Body, StringComparison.Ordinal);
        await Case().RecordPayment(new PaymentReceipt("CB-1", 30m, "EUR", new DateOnly(2026, 11, 11), "card"));

        await _cluster.RunUntil(Paris(2026, 12, 16, 12)); // instalment 1 honoured; instalment 2 reminded, not paid yet
        Assert.Equal(CaseStatus.PaymentPlan, (await Case().Get())!.Status);
        Assert.DoesNotContain(_cluster.Channel.Messages, m => m.Kind == ContactKind.Reminder && m.CreatedAt > Paris(2026, 11, 5, 12));

        await _cluster.RunUntil(Paris(2026, 12, 18, 12)); // 17 Dec: instalment 2 missed
        var view = (await Case().Get())!;
        Assert.Equal(CaseStatus.Active, view.Status);
        Assert.Null(view.Plan);
        Assert.Contains(view.History, e => e.Kind == "plan_missed");
        Assert.Equal(60m, view.Balance);

        // The D+8 step (11 Nov 00:00) had 5 days 12 hours left when the plan began: it falls due on 22 Dec at noon.
        await _cluster.RunUntil(Paris(2026, 12, 26, 12));
        var resumed = _cluster.Channel.Messages.Last(m => m.Kind == ContactKind.Reminder);
        Assert.Equal((Channel.Sms, "2026-12-22"), (resumed.Channel, Day(resumed.CreatedAt)));
        Assert.Contains("60,00", resumed.Body.Replace(" EUR", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_debtor_who_moved_corrects_their_details_and_the_next_messages_use_them()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn));
        await _cluster.RunUntil(Paris(2026, 11, 5, 12)); // D+1 by e-mail and SMS
        var debtor = _cluster.Debtor(Creditor, "PAT-1");
        Assert.True(await debtor.SetSmsOptOut("+33612345678", optedOut: true));
        Assert.True(await debtor.CorrectDetails("marie.d@example.net", "+33698765432", new PostalAddress("5 rue Neuve", "67000", "Strasbourg", "FR")));
        Assert.False(await debtor.CorrectDetails("marie.d@example.net", null, null)); // nothing new

        var view = (await debtor.Get())!;
        Assert.Equal(["marie.d@example.net", "+33698765432"], view.ContactPoints.Where(p => p.Channel != Channel.Letter).Select(p => p.Value));
        Assert.All(view.ContactPoints, p => Assert.Equal("active", p.Status)); // the STOP was for the old number
        Assert.Equal("email, phone, address corrected by the debtor", Assert.Single(view.Changes!).Detail);

        // A new case fed with the creditor's old details does not undo the correction.
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-2", dueOn: DueOn.AddDays(5)));
        Assert.Equal("marie.d@example.net", (await debtor.Get())!.ContactPoints[0].Value);

        await _cluster.RunUntil(Paris(2026, 11, 13, 12)); // D+8 by SMS, to the new number
        Assert.Equal("+33698765432", _cluster.Channel.Messages[^1].Recipient);
    }

    [Fact]
    public async Task A_plan_outside_the_rules_waits_for_the_creditor()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(amount: 42.50m, dueOn: DueOn));
        var proposed = await Case().ProposePlan(3); // 14.16 a month is under the 15 EUR minimum
        Assert.Equal(CaseStatus.Active, proposed.Case!.Status);
        Assert.Equal(3, proposed.Case.PlanProposal!.Instalments);
        var accepted = await Case().DecidePlan(accept: true, "accord exceptionnel");
        Assert.Equal(CaseStatus.PaymentPlan, accepted.Case!.Status);
        Assert.True(accepted.Case.Plan!.ByCreditor);
    }

    [Fact]
    public async Task A_consumer_claim_near_prescription_closes_or_escalates_before_it_expires()
    {
        var old = new DateOnly(2024, 12, 15); // a consumer claim prescribes on 15 Dec 2026
        await _cluster.CreateCase(Creditor, Drafts.Case("OLD-SMALL", amount: 30m, dueOn: old));
        await _cluster.CreateCase(Creditor, Drafts.Case("OLD-BIG", amount: 120m, dueOn: old, debtor: Drafts.Debtor("PAT-2")));
        await _cluster.CreateCase(Creditor, Drafts.Case("OLD-PRO", amount: 30m, dueOn: old, debtor: Drafts.Debtor("ACME", DebtorKind.Business)));
        await _cluster.RunUntil(Paris(2026, 11, 5, 12));

        Assert.Equal((CaseStatus.Closed, "prescription"), ((await Case("OLD-SMALL").Get())!.Status, (await Case("OLD-SMALL").Get())!.ClosedReason));
        Assert.Equal(CaseStatus.Escalated, (await Case("OLD-BIG").Get())!.Status);
        var business = (await Case("OLD-PRO").Get())!;
        Assert.Equal(CaseStatus.Active, business.Status); // five years for a business
        Assert.Equal(new DateOnly(2029, 12, 15), business.PrescriptionOn);
        Assert.All(_cluster.Channel.Messages, m => Assert.Equal("ACME", m.DebtorReference));
    }
}
