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
        var (one, moved) = ContactPlanner.Queue(Debtor, Request("A"), night, Options);
        var (two, movedAgain) = ContactPlanner.Queue(one, Request("B"), night.AddMinutes(5), Options);
        Assert.Equal(ParisTime.At(new DateOnly(2026, 11, 24), new TimeOnly(8, 0)), moved);
        Assert.Null(movedAgain);
        Assert.Equal(2, two.Pending.Count);
    }

    [Fact]
    public void In_an_open_window_a_request_waits_the_consolidation_delay()
    {
        var day = ParisTime.At(new DateOnly(2026, 11, 24), new TimeOnly(10, 0));
        var (_, moved) = ContactPlanner.Queue(Debtor, Request("A"), day, Options);
        Assert.Equal(day + Options.ConsolidationDelay, moved);
    }

    [Fact]
    public void A_stage_already_sent_is_never_queued_again()
    {
        var sent = Debtor with { LastSentStage = ImmutableDictionary<string, int>.Empty.Add("A", 1) };
        var (after, moved) = ContactPlanner.Queue(sent, Request("A", stage: 1), DateTimeOffset.UnixEpoch, Options);
        Assert.Same(sent, after);
        Assert.Null(moved);
    }

    [Fact]
    public void Cases_are_grouped_into_one_message_per_channel()
    {
        var routes = ContactPlanner.Route(Drafts.Debtor(), [Request("A"), Request("B"), Request("C", 1, Channel.Sms)]);
        Assert.Equal(2, routes.Count);
        Assert.Equal((Channel.Email, "marie.durand@example.org"), (routes[0].Channel, routes[0].Recipient));
        Assert.Equal(["A", "B"], routes[0].Requests.Select(r => r.CaseReference));
        Assert.Equal(["A", "B", "C"], routes[1].Requests.Select(r => r.CaseReference));
    }

    [Fact]
    public void A_channel_without_a_contact_point_falls_back_to_one_that_has_one()
    {
        var routes = ContactPlanner.Route(Drafts.Debtor(email: null), [Request("A", 0, Channel.Email)]);
        Assert.Equal(Channel.Sms, Assert.Single(routes).Channel);
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
