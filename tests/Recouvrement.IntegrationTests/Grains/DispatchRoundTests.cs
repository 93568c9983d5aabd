using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Grains;

/// <summary>
/// A debtor's dispatch round: its sending holds no turn of the debtor, and a write that failed in the middle of it
/// leaves nothing in the activation's memory for the next round to trust.
/// </summary>
public sealed class DispatchRoundTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private static readonly DateOnly DueYesterday = new(2026, 11, 2);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);
    private FakeClockCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        // Tuesday 10:00: a case fed a day late asks at once, and its debtor sends at 10:10.
        _cluster = await StartAsync(Paris(2026, 11, 3, 10));
        Assert.True(await _cluster.Grains.GetGrain<ICreditorGrain>(Creditor).Onboard("Laboratoire Exemple"));
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-1", dueOn: DueYesterday));
        await _cluster.RunUntil(Paris(2026, 11, 3, 10, 5));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_case_fed_while_its_debtor_is_sending_is_attached_at_once_and_reminded_after()
    {
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _cluster.Channel.BeforeSend = async _ =>
        {
            sending.TrySetResult();
            await release.Task; // a provider that takes its time: pacing, retries, a slow answer
        };
        _cluster.Clock.SetUtcNow(Paris(2026, 11, 3, 10, 10));
        await _cluster.NudgeUntil(() => sending.Task.IsCompleted, "the debtor to start sending FAC-1's reminder");

        // The debtor answers while its provider has not: a new case attaches, another is put on hold.
        var created = await _cluster.CreateCase(Creditor, Drafts.Case("FAC-2", dueOn: DueYesterday)).WaitAsync(Answer);
        Assert.Equal(CreationOutcome.Created, created.Outcome);
        Assert.Contains("FAC-2", (await _cluster.Debtor(Creditor, "PAT-1").Get().WaitAsync(Answer))!.OpenCases);
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-3", dueOn: new DateOnly(2026, 12, 1)));
        Assert.Equal(CaseStatus.OnHold, (await _cluster.Case(Creditor, "FAC-3").Hold().WaitAsync(Answer)).Case!.Status);

        _cluster.Channel.BeforeSend = null;
        release.SetResult();
        await _cluster.RunUntil(Paris(2026, 11, 5, 12)); // FAC-2's message keeps the two days' gap after FAC-1's

        var sent = _cluster.Channel.Messages.Select(m => (string.Join('+', m.Cases.Select(c => c.Reference)), m.Channel)).ToList();
        Assert.Equal([("FAC-1", Channel.Email), ("FAC-1", Channel.Sms), ("FAC-2", Channel.Email), ("FAC-2", Channel.Sms)], sent.Order());
        Assert.Equal(4, _cluster.Channel.Attempts.Count);
    }

    [Fact]
    public async Task A_write_that_failed_with_messages_in_flight_leaves_them_unsent_and_the_next_round_sends_them()
    {
        _cluster.Faults.FailNextWrite(state => state is DebtorState { InFlight.IsEmpty: false });
        _cluster.Clock.SetUtcNow(Paris(2026, 11, 3, 10, 10));
        await _cluster.NudgeUntil(() => _cluster.Faults.Failed == 1, "the write of the round's in-flight messages to fail");
        Assert.Empty(_cluster.Channel.Attempts);

        // The dispatch reminder ticks again half an hour later, on an activation that read what storage holds.
        _cluster.Clock.SetUtcNow(Paris(2026, 11, 3, 10, 40));
        await _cluster.NudgeUntil(() => _cluster.Channel.Attempts.Count == 2, "the next round to send the reminder the failed one never sent");
        await _cluster.RunUntil(Paris(2026, 11, 3, 12));

        Assert.Equal([Channel.Email, Channel.Sms], _cluster.Channel.Messages.Select(m => m.Channel));
        Assert.Equal(2, _cluster.Channel.Attempts.Count);
        var debtor = (await _cluster.Debtor(Creditor, "PAT-1").Get())!;
        Assert.Equal([ContactStatus.Sent, ContactStatus.Sent], debtor.ContactLog.Select(e => e.Status));
        Assert.Equal(2, (await _cluster.Case(Creditor, "FAC-1").Get())!.History.Count(e => e.Kind == "contacted"));
    }
}
