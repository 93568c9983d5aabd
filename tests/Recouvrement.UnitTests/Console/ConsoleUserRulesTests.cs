using Recouvrement.Users;

namespace Recouvrement.Tests.Console;

/// <summary>The pure rules of a creditor's console users: invitations, their links, sessions, and how failed sign-ins are slowed down.</summary>
public sealed class ConsoleUserRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static CreditorUsers Invited(out StoredUser user)
    {
        var (state, outcome, invited) = new CreditorUsers().Invite("ana@example.org", UserRole.Agent, "hash-1", Now, Now.AddDays(7), "usr_1");
        Assert.Equal(InvitationOutcome.Invited, outcome);
        user = invited!;
        return state;
    }

    [Fact]
    public void Inviting_again_replaces_the_role_and_the_link_and_the_earlier_link_stops_working()
    {
        var state = Invited(out _);
        var (again, outcome, user) = state.Invite("ana@example.org", UserRole.Viewer, "hash-2", Now.AddHours(1), Now.AddDays(8), "usr_other");

        Assert.Equal((InvitationOutcome.Invited, "usr_1", UserRole.Viewer), (outcome, user!.Id, user.Role));
        Assert.Single(again.Users);
        Assert.Null(again.Invitation("hash-1", Now.AddHours(2)));
        Assert.NotNull(again.Invitation("hash-2", Now.AddHours(2)));
    }

    [Fact]
    public void A_link_sets_the_password_once_and_not_after_it_expired()
    {
        var state = Invited(out _);

        Assert.Null(state.Accept("hash-1", "pbkdf2", Now.AddDays(7)).User);
        var (active, user) = state.Accept("hash-1", "pbkdf2", Now.AddDays(1));
        Assert.Equal(UserStatus.Active, user!.Status);
        Assert.Null(active.Accept("hash-1", "other", Now.AddDays(1)).User);
        Assert.Equal(InvitationOutcome.AlreadyActive, active.Invite("ana@example.org", UserRole.Admin, "hash-3", Now, Now.AddDays(7), "usr_2").Outcome);
    }

    [Fact]
    public void A_session_opens_its_role_until_it_ends_and_a_user_keeps_five_at_most()
    {
        var (state, _) = Invited(out _).Accept("hash-1", "pbkdf2", Now);
        for (var i = 0; i < CreditorUsers.MaxSessionsPerUser + 1; i++)
        {
            state = state.StartSession("usr_1", $"s{i}", Now.AddMinutes(i), Now.AddHours(12)).State;
        }

        Assert.Null(state.CheckSession("usr_1", "s0", Now.AddHours(1)));
        Assert.Equal(UserRole.Agent, state.CheckSession("usr_1", "s5", Now.AddHours(1)));
        Assert.Null(state.CheckSession("usr_1", "s5", Now.AddHours(12)));
        Assert.Null(state.EndSession("usr_1", "s5").CheckSession("usr_1", "s5", Now.AddHours(1)));
        Assert.Equal(UserRole.Viewer, state.ChangeRole("usr_1", UserRole.Viewer).CheckSession("usr_1", "s4", Now.AddHours(1)));
        Assert.Null(state.Remove("usr_1").CheckSession("usr_1", "s4", Now.AddHours(1)));
    }

    [Fact]
    public void An_invited_user_cannot_open_a_session()
    {
        Assert.Null(Invited(out _).StartSession("usr_1", "s", Now, Now.AddHours(1)).User);
    }

    [Theory]
    [InlineData(4, 0, 0)]
    [InlineData(5, 0, 30)]
    [InlineData(5, 10, 20)]
    [InlineData(6, 0, 60)]
    [InlineData(8, 0, 240)]
    [InlineData(20, 0, 900)]
    [InlineData(5, 31, 0)]
    public void Failures_beyond_the_free_ones_wait_a_doubling_delay_up_to_the_longest(int failures, int secondsSinceLast, int expectedWait)
    {
        var rules = new SignInThrottle(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15));

        Assert.Equal(TimeSpan.FromSeconds(expectedWait), rules.Wait(failures, Now, Now.AddSeconds(secondsSinceLast)));
    }

    [Fact]
    public void A_payment_is_charged_the_rate_in_force_when_it_was_recorded()
    {
        var rates = CommissionRates.With(CommissionRates.With(null, 10m, Now), 15m, Now.AddDays(10));

        Assert.Equal(0m, CommissionRates.At(rates, Now.AddTicks(-1)));
        Assert.Equal(10m, CommissionRates.At(rates, Now.AddDays(10).AddTicks(-1)));
        Assert.Equal(15m, CommissionRates.At(rates, Now.AddDays(10)));
        Assert.Equal([Now], CommissionRates.With(rates, 12m, Now).Select(r => r.From));
    }
}
