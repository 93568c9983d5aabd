using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Grains;

/// <summary>A debtor due while every dispatch slot of the silo is taken waits its turn without holding its grain.</summary>
public sealed class DispatchWaitTests
{
    private const string Creditor = "labo";
    private static readonly DateOnly DueOn = new(2026, 11, 2);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_debtor_waiting_for_a_dispatch_slot_still_answers_and_a_dispute_made_meanwhile_stops_its_message()
    {
        await using var cluster = await StartAsync(Paris(2026, 11, 3, 10), new Dictionary<string, string?> { ["Recouvrement:Contact:MaxConcurrentDispatches"] = "1" });
        Assert.True(await cluster.Grains.GetGrain<ICreditorGrain>(Creditor).Onboard("Laboratoire Exemple"));
        // Fed a day late, both cases ask at once; both debtors are due at 10:10, with one slot between them.
        await cluster.CreateCase(Creditor, Drafts.Case("FAC-1", dueOn: DueOn));
        await cluster.CreateCase(Creditor, Drafts.Case("FAC-2", dueOn: DueOn, debtor: Drafts.Debtor("PAT-2")));
        await cluster.RunUntil(Paris(2026, 11, 3, 10, 5));

        var holder = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Channel.BeforeSend = async message =>
        {
            if (holder.TrySetResult(message.DebtorReference))
            {
                await release.Task; // the first debtor to send keeps the only slot
            }
        };

        cluster.Clock.SetUtcNow(Paris(2026, 11, 3, 10, 10));
        await cluster.NudgeUntil(() => holder.Task.IsCompleted, "one debtor to take the slot and start sending");
        var holding = await holder.Task;
        var (waiter, waitersCase) = holding == "PAT-1" ? ("PAT-2", "FAC-2") : ("PAT-1", "FAC-1");
        var waiterKey = GrainKeys.Compose(Creditor, waiter);
        await cluster.NudgeUntil(() => cluster.TicksAnswered(waiterKey) > 0, "the other debtor's dispatch reminder to tick");

        var view = await cluster.Debtor(Creditor, waiter).Get().WaitAsync(Answer);
        Assert.Equal(Paris(2026, 11, 3, 10, 10), view!.NextContactAt!.Value, TimeSpan.FromSeconds(1));
        var disputed = await cluster.Case(Creditor, waitersCase).Dispute("not_mine", null).WaitAsync(Answer);
        Assert.Equal(CaseStatus.Disputed, disputed.Case!.Status);

        release.SetResult();
        await cluster.RunUntil(Paris(2026, 11, 3, 12));
        Assert.Equal(2, cluster.Channel.Messages.Count(m => m.DebtorReference == holding));
        Assert.DoesNotContain(cluster.Channel.Messages, m => m.DebtorReference == waiter);
        Assert.Null((await cluster.Debtor(Creditor, waiter).Get())!.NextContactAt);
    }
}
