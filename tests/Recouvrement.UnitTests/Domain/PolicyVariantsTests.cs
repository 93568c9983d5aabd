using System.Globalization;
using Recouvrement.Calendar;

namespace Recouvrement.Tests.Domain;

/// <summary>Champion/challenger variants: which debtor follows which schedule, and that it stays so.</summary>
public class PolicyVariantsTests
{
    private static readonly DateTimeOffset Created = ParisTime.At(new DateOnly(2026, 11, 3), new TimeOnly(10, 0));

    private static PolicyVariant Variant(string name, decimal weight, int firstDay = 1) =>
        new(name, weight, [new PolicyStep(firstDay, StepAction.Reminder, [Channel.Sms]), new PolicyStep(firstDay + 30, StepAction.FinalDecision, [])], 40m);

    private static DunningPolicy Policy(params PolicyVariant[] variants) => DunningPolicy.Default with { Variants = variants };

    private static IEnumerable<string> References(int count, string prefix = "PAT-") =>
        Enumerable.Range(1, count).Select(i => prefix + i.ToString("D6", CultureInfo.InvariantCulture));

    [Fact]
    public void A_debtor_reference_always_falls_at_the_same_place_on_every_machine()
    {
        // Pinned: SHA-256 of the UTF-8 reference, first eight bytes big-endian, top 53 bits over 2^53. A change here
        // would move existing creditors' new debtors to other variants than the same weights gave them before.
        Assert.Equal(0.1377, Math.Round(VariantHash.Position("PAT-88121"), 4));
        Assert.Equal(0.4289, Math.Round(VariantHash.Position("PAT-1"), 4));
        Assert.Equal(VariantHash.Position("PAT-88121"), VariantHash.Position(new string("PAT-88121".ToCharArray())));
        var policy = Policy(Variant("champion", 30), Variant("sms-first", 70));
        Assert.Equal(["champion", "sms-first"], new[] { "PAT-88121", "PAT-1" }.Select(policy.AssignVariant));
    }

    [Theory]
    [InlineData(50, 50, 0)]
    [InlineData(70, 20, 10)]
    [InlineData(90, 0, 10)]
    public void New_debtors_are_shared_between_the_variants_as_their_weights_say(int a, int b, int c)
    {
        const int Debtors = 100_000;
        var policy = Policy(Variant("a", a), Variant("b", b), Variant("c", c));
        var counts = References(Debtors).GroupBy(policy.AssignVariant).ToDictionary(g => g.Key!, g => g.Count());

        foreach (var (name, weight) in new[] { ("a", a), ("b", b), ("c", c) })
        {
            var expected = weight / 100.0;
            var share = counts.GetValueOrDefault(name) / (double)Debtors;
            // Four standard deviations of a binomial share: a fair assignment fails this about once in 16,000 runs,
            // and these references are fixed, so it passes or fails for good.
            var tolerance = 4 * Math.Sqrt(expected * (1 - expected) / Debtors);
            Assert.True(Math.Abs(share - expected) <= tolerance, $"variant {name}: {share:P3} of the debtors for a weight of {expected:P0} (tolerance {tolerance:P3})");
        }
    }

    [Fact]
    public void References_that_differ_by_one_character_are_spread_as_any_others()
    {
        // Sequential references are what creditors feed: their positions must fill [0, 1) evenly, decile by decile.
        var deciles = References(20_000, "FAC-2026-").Select(r => (int)(VariantHash.Position(r) * 10)).GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, deciles.Count);
        Assert.All(deciles.Values, n => Assert.InRange(n, 2_000 - 4 * 42, 2_000 + 4 * 42));
    }

    [Fact]
    public void A_debtor_keeps_its_variant_when_the_weights_change_and_only_new_debtors_move()
    {
        var before = Policy(Variant("champion", 50), Variant("challenger", 50));
        var after = Policy(Variant("champion", 0), Variant("challenger", 100));
        var debtors = References(200).ToDictionary(r => r, r => DebtorDecisions.Attach(new DebtorState(), "FAC-" + r, Drafts.Debtor(r), before.AssignVariant(r)));
        Assert.Contains(debtors.Values, d => d.Variant == "champion");

        foreach (var (reference, debtor) in debtors)
        {
            // A second case of the same debtor, fed after the change, follows the debtor's variant, not the new weights.
            Assert.Equal(before.AssignVariant(reference), DebtorDecisions.VariantFor(debtor, after.AssignVariant(reference)));
            Assert.Equal(debtor.Variant, DebtorDecisions.Attach(debtor, "FAC-2-" + reference, Drafts.Debtor(reference), after.AssignVariant(reference)).Variant);
        }

        Assert.All(References(200, "NEW-"), r => Assert.Equal("challenger", DebtorDecisions.VariantFor(new DebtorState(), after.AssignVariant(r))));
    }

    [Fact]
    public void A_debtor_met_before_the_policy_had_variants_keeps_following_the_policy_s_own_schedule()
    {
        var debtor = DebtorDecisions.Attach(new DebtorState(), "FAC-1", Drafts.Debtor(), variant: null);
        Assert.Null(DebtorDecisions.VariantFor(debtor, Policy(Variant("challenger", 1)).AssignVariant("PAT-1")));
    }

    [Fact]
    public void Both_cases_of_a_debtor_follow_its_variant_s_schedule()
    {
        var policy = Policy(Variant("champion", 50, firstDay: 1), Variant("late", 50, firstDay: 5));
        var reference = References(50).First(r => policy.AssignVariant(r) == "late");
        var debtor = Drafts.Debtor(reference);
        var variant = DebtorDecisions.VariantFor(new DebtorState(), policy.AssignVariant(reference));
        var first = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case("FAC-1", debtor: debtor), variant), Created, policy);
        var attached = DebtorDecisions.Attach(new DebtorState(), "FAC-1", debtor, ((AttachToDebtor)first.Effects[0]).Variant);
        var second = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case("FAC-2", debtor: debtor), DebtorDecisions.VariantFor(attached, "champion")), Created, policy);

        Assert.Equal(("late", "late"), (first.State.Variant, second.State.Variant));
        // Due on 3 November: the "late" variant's first step is on day 5, the champion's on day 1.
        Assert.Equal(ParisTime.StartOfDay(new DateOnly(2026, 11, 8)), first.State.NextStepAt);
        Assert.Equal(first.State.NextStepAt, second.State.NextStepAt);
    }

    [Fact]
    public void A_case_whose_variant_was_removed_follows_the_policy_s_own_schedule_from_its_next_step()
    {
        var policy = Policy(Variant("champion", 1, firstDay: 1), Variant("gone", 1, firstDay: 5));
        var opened = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case(), "gone"), Created, policy).State;
        var withoutIt = policy with { Variants = [Variant("champion", 1, firstDay: 1)] };

        var woken = CaseDecisions.Decide(opened, new WakeUp(), opened.NextStepAt!.Value, withoutIt);

        Assert.Equal("gone", woken.State.Variant);
        Assert.Equal("sms", woken.State.History[^1].Detail![^3..]);
        Assert.Equal(DunningPolicy.Default.Steps[0].Channels, ((AskDebtorToContact)woken.Effects[0]).Request.Channels);
    }

    [Fact]
    public void A_policy_without_variants_assigns_none_and_schedules_exactly_as_before()
    {
        Assert.Null(DunningPolicy.Default.AssignVariant("PAT-1"));
        Assert.Same(DunningPolicy.Default, DunningPolicy.Default.ScheduleOf(null));
        var opened = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case()), Created, DunningPolicy.Default);
        Assert.Null(opened.State.Variant);
        Assert.Equal(new AttachToDebtor(Drafts.Debtor()), opened.Effects[0]);
    }

    [Fact]
    public void Promoting_a_variant_makes_it_the_only_one_and_the_policy_s_own_schedule()
    {
        var policy = Policy(Variant("champion", 80, firstDay: 1), Variant("challenger", 20, firstDay: 3));
        var promoted = policy.Promote("challenger")!;

        Assert.Equal(["challenger"], promoted.Variants!.Select(v => v.Name));
        Assert.Same(policy.Variants![1].Steps, promoted.Steps);
        Assert.Equal("challenger", promoted.Champion!.Name);
        Assert.All(References(100), r => Assert.Equal("challenger", promoted.AssignVariant(r)));
        Assert.Null(policy.Promote("nobody"));
    }
}
