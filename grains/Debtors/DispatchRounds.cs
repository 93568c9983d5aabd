namespace Recouvrement.Debtors;

/// <summary>
/// The dispatch round an activation is running, between its steps: its progress and the batch last handed to the
/// runner. In memory only: a round lost with its activation leaves its messages in flight, in doubt for the next.
/// </summary>
internal sealed class DispatchRounds
{
    private int rounds;
    private DispatchProgress? progress;
    private DispatchBatch? batch;

    /// <summary>A new round: whatever one was running is over.</summary>
    public DispatchStep Begin(DebtorState state, IReadOnlyList<ContactRequest> wanted, DateTimeOffset now, ContactOptions options, string debtorKey)
    {
        End();
        return DebtorDecisions.Begin(state, wanted, ++rounds, now, options, debtorKey);
    }

    /// <summary>The first step's batch, once its messages are written in flight.</summary>
    public DispatchBatch Started(DispatchStep step, DebtorDetails debtor, DateTimeOffset now)
    {
        progress = step.Progress;
        return batch = new DispatchBatch(progress.Round, step.Messages, debtor, now);
    }

    /// <summary>Records a step's outcomes in the round they belong to; a round this activation did not start is adopted.</summary>
    public DispatchStep Record(DebtorState state, int round, IReadOnlyList<SentMessage> sent, DateTimeOffset now, ContactOptions options, string debtorKey)
    {
        var current = progress is { } p && p.Round == round ? p : DispatchProgress.Adopted(round, state.DispatchAt ?? now);
        return DebtorDecisions.Record(state, current, sent, now, options, debtorKey);
    }

    /// <summary>The next step's batch, or null when the round is over (no messages, or a round adopted).</summary>
    public DispatchBatch? Next(DispatchStep step)
    {
        if (step.Messages.Count == 0 || batch is null)
        {
            return null;
        }

        progress = step.Progress;
        return batch = batch with { Messages = step.Messages };
    }

    public void End() => (progress, batch) = (null, null);
}
