using Recouvrement.Events;

namespace Recouvrement.Debtors;

/// <summary>
/// The events a change of a debtor gives rise to, read off its state before and after: a contact point whose health
/// changed (disabled, opted out, back in use), details the debtor corrected. Nothing personal: channels and reasons,
/// never the address or number.
/// </summary>
public static class DebtorFacts
{
    public static IReadOnlyList<EventFact> Between(DebtorState before, DebtorState after)
    {
        if (ReferenceEquals(before, after) || after.Details is null || after.Erasure is not null && before.Erasure is null)
        {
            return [];
        }

        var facts = new List<EventFact>();
        var was = Points(before);
        foreach (var point in Points(after))
        {
            if (was.TryGetValue(point.Key, out var old) ? old != point.Value : point.Value.Status != "active")
            {
                facts.Add(new(EventTypes.ContactPointChanged, EventData.Of(new { channel = point.Key, status = point.Value.Status, reason = point.Value.Reason })));
            }
        }

        if (after.Changes.Count > 0 && (before.Changes.Count == 0 || after.Changes[^1] != before.Changes[^1]))
        {
            var fields = new List<string>();
            if (after.Details.Email != before.Details?.Email) fields.Add("email");
            if (after.Details.Phone != before.Details?.Phone) fields.Add("phone");
            if (after.Details.Address != before.Details?.Address) fields.Add("address");
            facts.Add(new(EventTypes.DetailsCorrected, EventData.Of(new { fields })));
        }

        return facts;
    }

    /// <summary>The state with the events of the change numbered after the debtor's last one; the same instance when there are none.</summary>
    public static DebtorState Stamp(DebtorState before, DebtorState after, string creditorId, DateTimeOffset now)
    {
        var facts = Between(before, after);
        if (facts.Count == 0)
        {
            return after.NewEvents.IsEmpty ? after : after with { NewEvents = [] };
        }

        var reference = after.Details!.Reference;
        var sequence = after.EventSequence;
        var events = ImmutableList.CreateBuilder<EngineEvent>();
        foreach (var fact in facts)
        {
            sequence++;
            events.Add(new EngineEvent(Hosting.EventIds.For("debtor", creditorId, reference, sequence), fact.Type, creditorId, null, reference, now, sequence, fact.Data));
        }

        return after with { EventSequence = sequence, NewEvents = events.ToImmutable() };
    }

    private static Dictionary<Channel, (string Status, string? Reason)> Points(DebtorState state) =>
        DebtorDecisions.View(state)?.ContactPoints.ToDictionary(p => p.Channel, p => (p.Status, p.Reason)) ?? [];
}
