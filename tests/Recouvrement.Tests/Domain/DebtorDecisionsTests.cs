using Recouvrement.Calendar;

namespace Recouvrement.Tests.Domain;

/// <summary>The debtor's rules, without a cluster.</summary>
public sealed class DebtorDecisionsTests
{
    private static readonly DateTimeOffset Tuesday10 = ParisTime.At(new DateOnly(2026, 11, 3), new TimeOnly(10, 0));

    private static DebtorState Attached() => DebtorDecisions.Attach(new DebtorState(), "FAC-1", Drafts.Debtor());

    [Fact]
    public void A_debtor_keeps_its_latest_fifty_corrections_only()
    {
        var state = Attached();
        for (var i = 0; i < DebtorDecisions.MaxChanges + 10; i++)
        {
            state = DebtorDecisions.Correct(state, $"marie{i}@example.org", null, null, Tuesday10.AddMinutes(i));
        }

        Assert.Equal(DebtorDecisions.MaxChanges, state.Changes.Count);
        Assert.Equal(Tuesday10.AddMinutes(DebtorDecisions.MaxChanges + 9), state.Changes[^1].At);
        Assert.Equal("marie59@example.org", state.Details!.Email);
        Assert.Equal("marie.durand@example.org", state.CorrectedFrom!.Email); // what the creditor fed, kept once
    }
}
