using Recouvrement.Calendar;
using Recouvrement.Events;
using Recouvrement.Messaging;

namespace Recouvrement.Tests.Domain;

/// <summary>The debtor's rules and its dispatch round, as pure functions, without a cluster.</summary>
public sealed class DebtorDecisionsTests
{
    private const string Key = "labo/PAT-1";
    private static readonly ContactOptions Options = new();
    private static readonly RetentionOptions Retention = new() { ClosedCaseDays = 30 };
    private static readonly DateTimeOffset Tuesday10 = ParisTime.At(new DateOnly(2026, 11, 3), new TimeOnly(10, 0));
    private static readonly DateTimeOffset Tuesday21 = ParisTime.At(new DateOnly(2026, 11, 3), new TimeOnly(21, 0));

    private static DebtorState Attached(params string[] cases) =>
        cases.Aggregate(new DebtorState(), (s, c) => DebtorDecisions.Attach(s, c, Drafts.Debtor()));

    private static ContactRequest Request(string reference, int stage = 0, ContactKind kind = ContactKind.Reminder, params Channel[] channels) =>
        new(reference, stage, kind, channels.Length == 0 ? [Channel.Email, Channel.Sms] : channels, 42.50m, "EUR",
            new DateOnly(2026, 10, 4), null, Tuesday10);

    private static DebtorState Queued(DebtorState state, params ContactRequest[] requests) =>
        requests.Aggregate(state, (s, r) => DebtorDecisions.Queue(s, r, Tuesday10, Options).State);

    // ---- Attach ----

    [Fact]
    public void Attaching_the_same_case_with_the_same_details_changes_nothing()
    {
        var state = Attached("FAC-1");
        Assert.Same(state, DebtorDecisions.Attach(state, "FAC-1", Drafts.Debtor()));
        Assert.Equal(["FAC-1", "FAC-2"], DebtorDecisions.Attach(state, "FAC-2", Drafts.Debtor()).OpenCases);
    }

    [Fact]
    public void A_correction_survives_the_creditor_feeding_the_old_value_again_but_not_a_new_one()
    {
        var corrected = DebtorDecisions.Correct(Attached("FAC-1"), "marie@example.net", null, null, Tuesday10);
        Assert.Equal("marie@example.net", DebtorDecisions.Attach(corrected, "FAC-2", Drafts.Debtor()).Details!.Email);
        Assert.Equal("marie@new.example", DebtorDecisions.Attach(corrected, "FAC-2", Drafts.Debtor(email: "marie@new.example")).Details!.Email);
    }

    [Theory]
    [InlineData("+33612345678", true)]
    [InlineData("06 12 34 56 78", true)]
    [InlineData("+33611223344", false)]
    public void An_sms_opt_out_holds_for_the_same_line_only(string phoneFedAgain, bool stillOptedOut)
    {
        var stopped = DebtorDecisions.OptOut(Attached("FAC-1"), "+33612345678", optedOut: true, Tuesday10);
        var again = DebtorDecisions.Attach(stopped, "FAC-2", Drafts.Debtor(phone: phoneFedAgain));
        Assert.Equal(stillOptedOut, again.SmsOptOutAt is not null);
    }

    [Fact]
    public void A_stop_from_another_number_or_a_repeated_one_changes_nothing()
    {
        var state = Attached("FAC-1");
        Assert.Same(state, DebtorDecisions.OptOut(state, "+33611223344", optedOut: true, Tuesday10));
        var stopped = DebtorDecisions.OptOut(state, "+33612345678", optedOut: true, Tuesday10);
        Assert.Same(stopped, DebtorDecisions.OptOut(stopped, "+33612345678", optedOut: true, Tuesday10));
        Assert.Null(DebtorDecisions.OptOut(stopped, "+33612345678", optedOut: false, Tuesday10).SmsOptOutAt);
    }

    // ---- Queue and withdraw ----

    [Fact]
    public void A_later_step_replaces_an_earlier_one_queued_for_the_same_case_and_not_the_reverse()
    {
        var first = Queued(Attached("FAC-1"), Request("FAC-1", 0));
        var second = Queued(first, Request("FAC-1", 1));
        Assert.Equal(1, Assert.Single(second.Pending).Stage);
        Assert.Same(second, DebtorDecisions.Queue(second, Request("FAC-1", 0), Tuesday10, Options).State);
    }

    [Fact]
    public void A_one_off_message_replaces_whatever_was_queued_for_its_case()
    {
        var queued = Queued(Attached("FAC-1"), Request("FAC-1", 2));
        var answer = Request("FAC-1", ContactStages.DisputeAnswer(1), ContactKind.DisputeAnswer, Channel.Email);
        Assert.Equal(ContactKind.DisputeAnswer, Assert.Single(Queued(queued, answer).Pending).Kind);
    }

    [Fact]
    public void A_request_made_after_hours_waits_for_the_next_window()
    {
        var (state, moved) = DebtorDecisions.Queue(Attached("FAC-1"), Request("FAC-1"), Tuesday21, Options);
        var wednesday8 = ParisTime.At(new DateOnly(2026, 11, 4), new TimeOnly(8, 0));
        Assert.Equal((wednesday8, wednesday8), (moved, state.DispatchAt));
    }

    [Fact]
    public void Withdrawing_the_last_queued_request_clears_the_dispatch_unless_a_round_is_in_flight()
    {
        var queued = Queued(Attached("FAC-1"), Request("FAC-1"));
        Assert.Null(DebtorDecisions.Withdraw(queued, "FAC-1", false, Tuesday10, Retention).DispatchAt);

        var inFlight = queued with { InFlight = [new InFlightMessage("msg_x", Channel.Email, "marie.durand@example.org", [Request("FAC-2")])] };
        Assert.NotNull(DebtorDecisions.Withdraw(inFlight, "FAC-1", false, Tuesday10, Retention).DispatchAt);
    }

    [Fact]
    public void The_last_open_case_settled_starts_the_retention_period_and_a_new_case_stops_it()
    {
        var state = Attached("FAC-1", "FAC-2");
        var one = DebtorDecisions.Withdraw(state, "FAC-1", caseIsSettled: true, Tuesday10, Retention);
        Assert.Equal(["FAC-2"], one.OpenCases);
        Assert.Equal(["FAC-1"], one.SettledCases);
        Assert.Null(one.ForgetAt);

        var both = DebtorDecisions.Withdraw(one, "FAC-2", caseIsSettled: true, Tuesday10, Retention);
        Assert.Equal(Tuesday10.AddDays(30), both.ForgetAt);
        Assert.Null(DebtorDecisions.Attach(both, "FAC-3", Drafts.Debtor()).ForgetAt);
    }

    // ---- Feedback ----

    [Theory]
    [InlineData(Channel.Email, DeliveryOutcome.Undeliverable, "disabled", ContactStatus.Bounced)]
    [InlineData(Channel.Sms, DeliveryOutcome.NotMobile, "disabled", ContactStatus.Failed)]
    [InlineData(Channel.Sms, DeliveryOutcome.OptedOut, "opted_out", ContactStatus.Failed)]
    [InlineData(Channel.Sms, DeliveryOutcome.Delivered, "active", ContactStatus.Delivered)]
    [InlineData(Channel.Email, DeliveryOutcome.TemporaryFailure, "active", ContactStatus.Undelivered)]
    public void A_providers_feedback_sets_the_messages_status_and_the_contact_points_health(Channel channel, DeliveryOutcome outcome, string point, ContactStatus logged)
    {
        var recipient = channel == Channel.Email ? "marie.durand@example.org" : "+33612345678";
        var sent = ContactLog.AddLog(Attached("FAC-1"), new ContactLogEntry("msg_1", Tuesday10, channel, ["FAC-1"], ContactStatus.Sent, recipient: recipient), Options);

        var after = DebtorDecisions.Delivery(sent, new DeliveryReport("msg_1", channel, outcome, "code", Tuesday10.AddMinutes(1)), Options);

        Assert.Equal(logged, after.Log.Single().Status);
        Assert.Equal(point, DebtorDecisions.View(after)!.ContactPoints.Single(p => p.Channel == channel).Status);
    }

    [Fact]
    public void Feedback_on_an_unknown_message_is_ignored()
    {
        var state = Attached("FAC-1");
        Assert.Same(state, DebtorDecisions.Delivery(state, new DeliveryReport("msg_nope", Channel.Email, DeliveryOutcome.Undeliverable, null, Tuesday10), Options));
    }

    // ---- The dispatch round ----

    [Fact]
    public void Readiness_is_idle_with_nothing_queued_waits_for_the_planned_time_and_for_the_window()
    {
        var idle = DebtorDecisions.Readiness(Attached("FAC-1") with { DispatchAt = Tuesday10 }, Tuesday10);
        Assert.Equal((false, (DateTimeOffset?)null, (DateTimeOffset?)null), (idle.Ready, idle.WakeAt, idle.State.DispatchAt));

        var queued = Queued(Attached("FAC-1"), Request("FAC-1"));
        var early = DebtorDecisions.Readiness(queued, Tuesday10);
        Assert.Equal((false, queued.DispatchAt), (early.Ready, early.WakeAt));

        var night = DebtorDecisions.Readiness(queued with { DispatchAt = Tuesday21 }, Tuesday21);
        Assert.Equal((false, ParisTime.At(new DateOnly(2026, 11, 4), new TimeOnly(8, 0))), (night.Ready, night.WakeAt!.Value));

        Assert.True(DebtorDecisions.Readiness(queued, queued.DispatchAt!.Value).Ready);
    }

    [Fact]
    public void A_round_writes_one_message_per_channel_in_flight_and_holds_the_dispatch_a_retry_period_ahead()
    {
        var queued = Queued(Attached("FAC-1", "FAC-2"), Request("FAC-1"), Request("FAC-2"));

        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);

        Assert.Equal([Channel.Email, Channel.Sms], step.Messages.Select(m => m.Channel));
        Assert.All(step.Messages, m => Assert.Equal(["FAC-1", "FAC-2"], m.Requests.Select(r => r.CaseReference)));
        Assert.Equal(step.Messages, step.State.InFlight);
        Assert.Empty(step.State.Pending);
        Assert.Equal(Tuesday10 + DebtorDecisions.RetryPeriod, step.State.DispatchAt);
    }

    [Fact]
    public void A_case_that_no_longer_wants_its_contact_is_dropped_from_the_round()
    {
        var queued = Queued(Attached("FAC-1", "FAC-2"), Request("FAC-1"), Request("FAC-2"));
        var step = DebtorDecisions.Begin(queued, [queued.Pending[1]], 1, Tuesday10, Options, Key);
        Assert.All(step.Messages, m => Assert.Equal(["FAC-2"], m.Requests.Select(r => r.CaseReference)));
        Assert.Empty(step.State.Pending);
    }

    [Fact]
    public void A_debtor_with_no_contact_point_logs_the_request_unreachable_and_counts_its_stage()
    {
        var nobody = new DebtorState { Details = new DebtorDetails("PAT-1", DebtorKind.Consumer, "Marie Durand", null, null, null), OpenCases = ["FAC-1"] };
        var queued = Queued(nobody, Request("FAC-1", 2));

        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);

        Assert.Empty(step.Messages);
        Assert.Equal(ContactStatus.Unreachable, Assert.Single(step.State.Log).Status);
        Assert.Equal(2, step.State.LastSentStage["FAC-1"]);
        Assert.Null(DebtorDecisions.Finish(step.State, step.Progress, Tuesday10, Options).DispatchAt);
    }

    public static TheoryData<SendResult, ContactStatus?, bool> Outcomes() => new()
    {
        { SendResult.Sent("SM1"), ContactStatus.Sent, true },
        { SendResult.Unknown("timeout"), ContactStatus.InDoubt, true },
        { SendResult.Rejected(null, "http_400"), ContactStatus.Failed, false },
        { SendResult.Retry("http_429"), null, false },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Each_outcome_is_logged_and_only_a_message_that_may_have_gone_out_is_confirmed_to_its_cases(SendResult result, ContactStatus? logged, bool confirmed)
    {
        var queued = Queued(Attached("FAC-1"), Request("FAC-1", 0, ContactKind.Reminder, Channel.Sms));
        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);

        var recorded = DebtorDecisions.Record(step.State, step.Progress, [new SentMessage(step.Messages[0].MessageId, result)], Tuesday10, Options, Key);

        Assert.Empty(recorded.State.InFlight);
        Assert.Equal(logged, recorded.State.Log.Select(e => (ContactStatus?)e.Status).SingleOrDefault());
        Assert.Equal(confirmed, recorded.Progress.Receipts.Count == 1);
        Assert.Equal(confirmed, recorded.State.LastSentStage.ContainsKey("FAC-1"));
    }

    [Fact]
    public void A_message_to_retry_goes_back_in_the_queue_for_the_retry_time_in_a_window()
    {
        var queued = Queued(Attached("FAC-1"), Request("FAC-1", 0, ContactKind.Reminder, Channel.Sms));
        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);
        var recorded = DebtorDecisions.Record(step.State, step.Progress, [new SentMessage(step.Messages[0].MessageId, SendResult.Retry("http_429", TimeSpan.FromMinutes(20)))], Tuesday10, Options, Key);

        var after = DebtorDecisions.Finish(recorded.State, recorded.Progress, Tuesday10, Options);

        Assert.Equal("FAC-1", Assert.Single(after.Pending).CaseReference);
        Assert.Equal(Tuesday10.AddMinutes(20), after.DispatchAt);
    }

    [Fact]
    public void A_request_refused_on_a_dead_point_is_tried_on_another_channel_in_the_next_step()
    {
        var queued = Queued(Attached("FAC-1"), Request("FAC-1", 0, ContactKind.Reminder, Channel.Email));
        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);
        var bounced = SendResult.Rejected(DeliveryOutcome.Undeliverable, "invalid_address");

        var next = DebtorDecisions.Record(step.State, step.Progress, [new SentMessage(step.Messages[0].MessageId, bounced)], Tuesday10, Options, Key);

        Assert.Equal(Channel.Sms, Assert.Single(next.Messages).Channel);
        Assert.Equal(1, next.Progress.Step);
        Assert.Equal("disabled", DebtorDecisions.View(next.State)!.ContactPoints.Single(p => p.Channel == Channel.Email).Status);
    }

    [Fact]
    public void A_request_queued_during_the_round_is_dispatched_at_its_own_time_after_it()
    {
        var queued = Queued(Attached("FAC-1", "FAC-2"), Request("FAC-1"));
        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);
        var meanwhile = DebtorDecisions.Queue(step.State, Request("FAC-2"), Tuesday10, Options).State;
        var recorded = DebtorDecisions.Record(meanwhile, step.Progress, [.. step.Messages.Select(m => new SentMessage(m.MessageId, SendResult.Sent("x")))], Tuesday10, Options, Key);

        var after = DebtorDecisions.Finish(recorded.State, recorded.Progress, Tuesday10, Options);

        Assert.Equal("FAC-2", Assert.Single(after.Pending).CaseReference);
        Assert.Equal(Tuesday10 + Options.ConsolidationDelay, after.DispatchAt);
    }

    [Fact]
    public void Messages_a_lost_round_left_in_flight_are_in_doubt_confirmed_and_never_resent()
    {
        var queued = Queued(Attached("FAC-1"), Request("FAC-1", 3));
        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);

        var (recovered, receipts) = DebtorDecisions.Recover(step.State, Tuesday10.AddHours(1), Options);

        Assert.Empty(recovered.InFlight);
        Assert.All(recovered.Log, e => Assert.Equal(ContactStatus.InDoubt, e.Status));
        Assert.Equal(2, receipts.Count);
        Assert.Same(recovered, DebtorDecisions.Queue(recovered, Request("FAC-1", 3), Tuesday10, Options).State);
    }

    [Fact]
    public void An_adopted_round_records_its_outcomes_and_plans_no_further_step()
    {
        var queued = Queued(Attached("FAC-1"), Request("FAC-1", 0, ContactKind.Reminder, Channel.Email));
        var step = DebtorDecisions.Begin(queued, queued.Pending, 1, Tuesday10, Options, Key);
        var bounced = SendResult.Rejected(DeliveryOutcome.Undeliverable, "invalid_address");

        var recorded = DebtorDecisions.Record(step.State, DispatchProgress.Adopted(1, Tuesday10), [new SentMessage(step.Messages[0].MessageId, bounced)], Tuesday10, Options, Key);

        Assert.Empty(recorded.Messages);
        Assert.Empty(recorded.State.InFlight);
    }

    // ---- Corrections, erasure, events ----

    [Fact]
    public void A_debtor_keeps_its_latest_fifty_corrections_only()
    {
        var state = Attached("FAC-1");
        for (var i = 0; i < DebtorDecisions.MaxChanges + 10; i++)
        {
            state = DebtorDecisions.Correct(state, $"marie{i}@example.org", null, null, Tuesday10.AddMinutes(i));
        }

        Assert.Equal(DebtorDecisions.MaxChanges, state.Changes.Count);
        Assert.Equal(Tuesday10.AddMinutes(DebtorDecisions.MaxChanges + 9), state.Changes[^1].At);
        Assert.Equal("marie59@example.org", state.Details!.Email);
        Assert.Equal("marie.durand@example.org", state.CorrectedFrom!.Email); // what the creditor fed, kept once
    }

    [Theory]
    [InlineData("06 12 34 56 78", true)]
    [InlineData("+33 6 12 34 56 78", true)]
    [InlineData("+33612345678", true)]
    [InlineData("06 11 22 33 44", false)]
    public void A_correction_to_the_same_line_however_written_keeps_the_stop(string phone, bool keptStop)
    {
        var stopped = DebtorDecisions.OptOut(Attached("FAC-1"), "+33612345678", optedOut: true, Tuesday10);

        var corrected = DebtorDecisions.Correct(stopped, null, phone, null, Tuesday10.AddHours(1));

        Assert.Equal(keptStop, corrected.SmsOptOutAt is not null);
    }

    [Fact]
    public void An_erasure_names_every_case_open_or_settled_then_leaves_nothing_that_identifies_the_person()
    {
        var state = DebtorDecisions.Withdraw(Queued(Attached("FAC-1", "FAC-2"), Request("FAC-2")), "FAC-1", true, Tuesday10, Retention);
        state = ContactLog.AddLog(state, new ContactLogEntry("msg_1", Tuesday10, Channel.Email, ["FAC-2"], ContactStatus.Sent, recipient: "marie.durand@example.org"), Options);

        var (begun, cases) = DebtorDecisions.BeginErasure(state);
        var erased = DebtorDecisions.CompleteErasure(begun, "key_1", cases!.Count, Tuesday10);

        Assert.Equal(["FAC-2", "FAC-1"], cases);
        Assert.Empty(begun.Pending);
        Assert.Equal((DebtorDetails.ErasedName, (string?)null, (string?)null), (erased.Details!.Name, erased.Details.Email, erased.Details.Phone));
        Assert.All(erased.Log, e => Assert.Null(e.Recipient));
        Assert.Equal(new Erasure(Tuesday10, "key_1", 2), erased.Erasure);
        Assert.Null(DebtorDecisions.BeginErasure(new DebtorState()).Cases);
    }

    [Fact]
    public void A_contact_point_disabled_or_corrected_gives_its_event_without_the_address()
    {
        var state = Attached("FAC-1");
        var bounced = ContactLog.Refused(state, Channel.Email, "marie.durand@example.org", DeliveryOutcome.Undeliverable, "550", Tuesday10);
        var fact = Assert.Single(DebtorFacts.Between(state, bounced));
        Assert.Equal(EventTypes.ContactPointChanged, fact.Type);
        Assert.Equal("""{"channel":"email","status":"disabled","reason":"hard_bounce (550)"}""", fact.Data);

        var corrected = DebtorDecisions.Correct(bounced, "marie@example.net", null, null, Tuesday10);
        Assert.Equal([EventTypes.ContactPointChanged, EventTypes.DetailsCorrected], DebtorFacts.Between(bounced, corrected).Select(f => f.Type));
        Assert.DoesNotContain("example", string.Concat(DebtorFacts.Between(bounced, corrected).Select(f => f.Data)), StringComparison.Ordinal);
    }
}
