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

    [Theory]
    [InlineData("06 12 34 56 78", true)]
    [InlineData("+33 6 12 34 56 78", true)]
    [InlineData("+33612345678", true)]
    [InlineData("06 11 22 33 44", false)]
    public void A_correction_to_the_same_line_however_written_keeps_the_stop(string phone, bool keptStop)
    {
        var stopped = DebtorDecisions.OptOut(Attached(), "+33612345678", optedOut: true, Tuesday10);

        var corrected = DebtorDecisions.Correct(stopped, null, phone, null, Tuesday10.AddHours(1));

        Assert.Equal(keptStop, corrected.SmsOptOutAt is not null);
    }
}
