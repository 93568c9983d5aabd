using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Recouvrement.Cases;

/// <summary>
/// Creates a batch of new cases with one write for all of them (<see cref="ICaseBulkStore"/>), deciding each
/// one exactly as its grain would (<see cref="CaseDecisions"/>), so that a case created here and a case created
/// by its grain are the same bytes in the same tables, with the same events, and are scheduled alike: a first step
/// due before the reminder service reads the new rows is taken at once (<see cref="CaseWakeups"/>), as a grain's own
/// timer takes a step due within a minute (<see cref="Hosting.ReminderAlarm"/>).
/// </summary>
[StatelessWorker]
public sealed partial class CaseIntakeGrain(
    ICaseBulkStore store,
    CaseWakeups wakeups,
    [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
    ILogger<CaseIntakeGrain> logger) : Grain, ICaseIntakeGrain
{
    public async Task<bool[]> CreateNew(string creditorId, IReadOnlyList<CaseDraft> drafts)
    {
        var created = new bool[drafts.Count];
        if (!store.Enabled || drafts.Count == 0)
        {
            return created;
        }

        var policy = await GrainFactory.Reference<ICreditorGrain>(creditorId).GetPolicy();
        var now = clock.GetUtcNow();
        var earliest = now + store.ReminderLead;
        var cases = new List<NewCaseRow>(drafts.Count);
        var soon = new HashSet<int>();
        for (var i = 0; i < drafts.Count; i++)
        {
            // Only new debtors come this way: each is given the variant the policy assigns it.
            var open = new OpenCase(drafts[i], policy.AssignVariant(drafts[i].Debtor.Reference));
            var decision = CaseDecisions.Decide(new CaseState(), open, now, policy);
            if (decision.Outcome == CaseActionOutcome.Applied && FirstWake(decision) is { } wake)
            {
                // The creation's events go in the same transaction as the rows, as a grain's write carries them.
                var state = CaseFacts.Stamp(new CaseState(), decision.State, open, creditorId, now);
                // The reminder service may not read a new row before this is due, and skips a first tick already
                // past: the row is set where it surely fires (the backup), and the case is woken at once.
                if (wake < earliest)
                {
                    soon.Add(i);
                }

                cases.Add(new NewCaseRow(i, GrainKeys.Compose(creditorId, drafts[i].Reference), state,
                    GrainKeys.Compose(creditorId, drafts[i].Debtor.Reference), wake < earliest ? earliest : wake));
            }
        }

        if (cases.Count == 0)
        {
            return created;
        }

        var debtors = cases
            .GroupBy(c => c.DebtorKey, StringComparer.Ordinal)
            .Select(g => new NewDebtorRow(
                g.Key,
                g.Aggregate(new DebtorState(), (debtor, c) => DebtorDecisions.Attach(debtor, c.State.Draft!.Reference, c.State.Draft.Debtor, c.State.Variant)),
                [.. g.Select(c => c.Index)]))
            .ToList();

        var stored = await store.InsertNewAsync(cases, debtors);
        foreach (var index in stored)
        {
            created[index] = true;
            Hosting.EngineMetrics.CaseEntered(CaseStatus.Active);
        }

        wakeups.Enqueue(stored.Where(soon.Contains).Select(i => GrainKeys.Compose(creditorId, drafts[i].Reference)));
        LogStored(logger, creditorId, stored.Count, drafts.Count);
        return created;
    }

    /// <summary>The first reminder's time when creating the case asks for nothing but attaching and one reminder.</summary>
    private static DateTimeOffset? FirstWake(CaseDecision decision)
    {
        DateTimeOffset? wake = null;
        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case AttachToDebtor:
                    break;
                case WakeAt at when wake is null:
                    wake = at.At;
                    break;
                default:
                    return null;
            }
        }

        return wake;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk intake for creditor {CreditorId} stored {Stored} of {Offered} cases; the rest go through their grains")]
    private static partial void LogStored(ILogger logger, string creditorId, int stored, int offered);
}
