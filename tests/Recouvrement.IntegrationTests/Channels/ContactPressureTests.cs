using Recouvrement.Debtors;
using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Channels;

/// <summary>The debtor grain keeps contacts within the frequency caps and the minimum gap, whatever its cases ask.</summary>
public sealed class ContactPressureTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private FakeClockCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await StartAsync(Paris(2026, 11, 2, 10));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Ten_cases_falling_due_on_ten_days_never_exceed_the_caps_or_the_gap()
    {
        var options = new ContactOptions();
        for (var i = 0; i < 10; i++)
        {
            await _cluster.CreateCase(Creditor, Drafts.Case($"FAC-{i}", dueOn: new DateOnly(2026, 11, 3).AddDays(i)));
        }

        await _cluster.RunUntil(Paris(2027, 1, 31, 12));

        var debtor = (await _cluster.Debtor(Creditor, "PAT-1").Get())!;
        var sent = debtor.ContactLog.Where(e => e.Status == ContactStatus.Sent).ToList();
        Assert.Equal(sent.Count, _cluster.Channel.Deliveries);
        foreach (var (channel, cap) in new[] { (Channel.Sms, options.MaxSmsPerPeriod), (Channel.Email, options.MaxEmailsPerPeriod) })
        {
            var times = sent.Where(e => e.Channel == channel).Select(e => e.SentAt).Order().ToList();
            Assert.NotEmpty(times);
            for (var i = 0; i + cap < times.Count; i++)
            {
                // Any cap + 1 consecutive messages span more than the period.
                Assert.True(times[i + cap] - times[i] >= options.CapPeriod, $"{cap + 1} {channel} messages within {times[i + cap] - times[i]}");
            }
        }

        var digitalDispatches = sent.Where(e => e.Channel != Channel.Letter).Select(e => e.SentAt).Distinct().Order().ToList();
        Assert.All(digitalDispatches.Zip(digitalDispatches.Skip(1)), pair => Assert.True(pair.Second - pair.First >= options.MinimumGap, $"contacts {pair.First:O} and {pair.Second:O}"));

        // Every case was still reached: its messages joined others instead of being lost, and each got its formal notice letter.
        for (var i = 0; i < 10; i++)
        {
            var history = (await _cluster.Case(Creditor, $"FAC-{i}").Get())!.History;
            Assert.Contains(history, e => e.Kind == "contacted" && e.Detail!.Contains("by letter", StringComparison.Ordinal));
            Assert.True(history.Count(e => e.Kind == "contacted") >= 3, $"FAC-{i} contacted {history.Count(e => e.Kind == "contacted")} times");
        }

        // Without the governance, each case alone would have sent 5 e-mails and SMS: 50 in all.
        Assert.InRange(digitalDispatches.Count, 5, 30);
    }
}
