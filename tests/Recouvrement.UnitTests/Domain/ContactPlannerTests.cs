using Recouvrement.Calendar;

namespace Recouvrement.Tests.Domain;

public class ContactPlannerTests
{
    private static readonly ContactOptions Options = new();
    private static readonly DebtorState Debtor = new() { Details = Drafts.Debtor() };

    private static ContactRequest Request(string reference, int stage = 0, params Channel[] channels) =>
        new(reference, stage, ContactKind.Reminder, channels.Length == 0 ? [Channel.Email, Channel.Sms] : channels, 42.50m, "EUR",
            new DateOnly(2026, 10, 4), null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Requests_made_at_night_wait_for_08_00_together()
    {
        var night = ParisTime.At(new DateOnly(2026, 11, 24), new TimeOnly(0, 0));
        var (one, moved) = DebtorDecisions.Queue(Debtor, Request("A"), night, Options);
        var (two, movedAgain) = DebtorDecisions.Queue(one, Request("B"), night.AddMinutes(5), Options);
        Assert.Equal(ParisTime.At(new DateOnly(2026, 11, 24), new TimeOnly(8, 0)), moved);
        Assert.Null(movedAgain);
        Assert.Equal(2, two.Pending.Count);
    }

    [Fact]
    public void In_an_open_window_a_request_waits_the_consolidation_delay()
    {
        var day = ParisTime.At(new DateOnly(2026, 11, 24), new TimeOnly(10, 0));
        var (_, moved) = DebtorDecisions.Queue(Debtor, Request("A"), day, Options);
        Assert.Equal(day + Options.ConsolidationDelay, moved);
    }

    [Fact]
    public void A_stage_already_sent_is_never_queued_again()
    {
        var sent = Debtor with { LastSentStage = ImmutableDictionary<string, int>.Empty.Add("A", 1) };
        var (after, moved) = DebtorDecisions.Queue(sent, Request("A", stage: 1), DateTimeOffset.UnixEpoch, Options);
        Assert.Same(sent, after);
        Assert.Null(moved);
    }

    private static readonly DateTimeOffset Tuesday10 = ParisTime.At(new DateOnly(2026, 11, 24), new TimeOnly(10, 0));

    [Fact]
    public void Cases_are_grouped_into_one_message_per_channel()
    {
        var plan = ContactPlanner.Plan(Debtor, [Request("A"), Request("B"), Request("C", 1, Channel.Sms)], Tuesday10, Options);
        Assert.Equal(2, plan.Send.Count);
        Assert.Equal((Channel.Email, "marie.durand@example.org"), (plan.Send[0].Channel, plan.Send[0].Recipient));
        Assert.Equal(["A", "B"], plan.Send[0].Requests.Select(r => r.CaseReference));
        Assert.Equal(["A", "B", "C"], plan.Send[1].Requests.Select(r => r.CaseReference));
    }

    [Fact]
    public void A_channel_without_a_contact_point_falls_back_to_one_that_has_one()
    {
        var plan = ContactPlanner.Plan(new DebtorState { Details = Drafts.Debtor(email: null) }, [Request("A", 0, Channel.Email)], Tuesday10, Options);
        Assert.Equal(Channel.Sms, Assert.Single(plan.Send).Channel);
    }

    [Fact]
    public void A_bounced_address_falls_back_to_sms_then_letter_once_sms_is_stopped()
    {
        var bounced = ContactLog.Refused(Debtor, Channel.Email, "marie.durand@example.org", DeliveryOutcome.Undeliverable, "bounce", Tuesday10);
        Assert.Equal(Channel.Sms, Assert.Single(ContactPlanner.Plan(bounced, [Request("A", 2, Channel.Email)], Tuesday10, Options).Send).Channel);

        var stopped = ContactLog.Refused(bounced, Channel.Sms, "+33612345678", DeliveryOutcome.OptedOut, "21610", Tuesday10);
        Assert.Equal(Channel.Letter, Assert.Single(ContactPlanner.Plan(stopped, [Request("A", 2, Channel.Email)], Tuesday10, Options).Send).Channel);
    }

    [Fact]
    public void A_new_address_is_usable_again_after_the_old_one_bounced()
    {
        var bounced = ContactLog.Refused(Debtor, Channel.Email, "marie.durand@example.org", DeliveryOutcome.Undeliverable, "bounce", Tuesday10);
        var moved = bounced with { Details = Drafts.Debtor(email: "marie@example.net") };
        Assert.True(ContactPlanner.Usable(moved, Channel.Email));
        Assert.False(ContactPlanner.Usable(bounced, Channel.Email));
    }

    [Fact]
    public void A_feedback_for_an_old_address_does_not_disable_the_new_one()
    {
        var moved = Debtor with { Details = Drafts.Debtor(email: "marie@example.net") };
        var after = ContactLog.Refused(moved, Channel.Email, "marie.durand@example.org", DeliveryOutcome.Undeliverable, "bounce", Tuesday10);
        Assert.True(ContactPlanner.Usable(after, Channel.Email));
    }

    [Fact]
    public void The_sms_cap_defers_a_third_sms_until_the_oldest_leaves_the_period()
    {
        var monday = Tuesday10.AddDays(-8);
        var history = Debtor with
        {
            Log =
            [
                new ContactLogEntry("m1", Tuesday10.AddDays(-6), Channel.Sms, ["X"]),
                new ContactLogEntry("m2", Tuesday10.AddDays(-3), Channel.Sms, ["Y"]),
                new ContactLogEntry("m0", monday, Channel.Sms, ["W"]),
            ],
        };
        var plan = ContactPlanner.Plan(history, [Request("A", 1, Channel.Sms)], Tuesday10, Options);
        Assert.Empty(plan.Send);
        Assert.Equal("A", Assert.Single(plan.Deferred).CaseReference);
        Assert.Equal(Tuesday10.AddDays(1), plan.DeferredUntil);
    }

    [Fact]
    public void The_minimum_gap_holds_back_digital_messages_but_not_a_letter()
    {
        var history = Debtor with { Log = [new ContactLogEntry("m1", Tuesday10.AddDays(-1), Channel.Email, ["X"])] };
        var plan = ContactPlanner.Plan(history, [Request("A", 3, Channel.Letter, Channel.Email), Request("B", 1, Channel.Sms)], Tuesday10, Options);
        Assert.Equal(Channel.Letter, Assert.Single(plan.Send).Channel);
        Assert.Equal("B", Assert.Single(plan.Deferred).CaseReference);
        Assert.Equal(Tuesday10.AddDays(1), plan.DeferredUntil);
    }

    [Fact]
    public void Failed_messages_count_towards_no_cap()
    {
        var history = Debtor with
        {
            Log = [new ContactLogEntry("m1", Tuesday10.AddDays(-6), Channel.Sms, ["X"], "failed"), new ContactLogEntry("m2", Tuesday10.AddDays(-5), Channel.Sms, ["Y"], "failed")],
        };
        Assert.Null(ContactPlanner.CapFreeAt(history, Channel.Sms, Tuesday10, Options));
    }

    [Fact]
    public void A_message_left_in_flight_by_a_crash_is_logged_in_doubt_and_its_stage_counts_as_sent()
    {
        var inFlight = Debtor with { InFlight = [new InFlightMessage("msg_1", Channel.Sms, "+33612345678", [Request("A", 2)])] };
        var after = ContactLog.Abandoned(inFlight, Tuesday10, Options);
        Assert.Empty(after.InFlight);
        Assert.Equal(ContactStatus.InDoubt, Assert.Single(after.Log).Status);
        Assert.Equal(2, after.LastSentStage["A"]);
        Assert.Same(after, DebtorDecisions.Queue(after, Request("A", 2), Tuesday10, Options).State);
    }

    [Fact]
    public void Message_ids_are_stable_for_the_same_cases_in_any_order()
    {
        var a = ContactPlanner.MessageId("c/d", Channel.Email, [Request("A"), Request("B")]);
        Assert.Equal(a, ContactPlanner.MessageId("c/d", Channel.Email, [Request("B"), Request("A")]));
        Assert.NotEqual(a, ContactPlanner.MessageId("c/d", Channel.Sms, [Request("A"), Request("B")]));
        Assert.NotEqual(a, ContactPlanner.MessageId("c/d", Channel.Email, [Request("A", 1), Request("B")]));
    }
}
