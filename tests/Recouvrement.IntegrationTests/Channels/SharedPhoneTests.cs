using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Channels;

/// <summary>
/// A phone number shared by more debtors than <c>Recouvrement:Contact:MaxDebtorsPerPhone</c> allows: the debtors over
/// the limit are not texted at it (a STOP from it could not reach them), and get the step by e-mail alone.
/// </summary>
public sealed class SharedPhoneTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private const string Phone = "+33612345678";
    private static readonly string[] Patients = ["PAT-1", "PAT-2", "PAT-3"];
    private FakeProviders _providers = null!;
    private FakeClockCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _providers = await FakeProviders.StartAsync();
        var settings = _providers.EngineSettings();
        settings["Recouvrement:Contact:MaxDebtorsPerPhone"] = "2";
        _cluster = await StartAsync(Paris(2026, 11, 3, 10), settings);
        foreach (var patient in Patients)
        {
            await _cluster.CreateCase(Creditor, Drafts.Case(reference: $"FAC-{patient}", debtor: Drafts.Debtor(patient, email: $"{patient.ToLowerInvariant()}@example.org", phone: Phone)));
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _providers.DisposeAsync();
    }

    [Fact]
    public async Task Debtors_over_the_limit_of_one_number_are_not_texted_at_it()
    {
        await _cluster.RunUntil(Paris(2026, 11, 4, 12)); // D+1: every step asks for an e-mail and an SMS

        Assert.Equal(3, _providers.SendGrid.Count);
        Assert.Equal(2, _providers.Twilio.Count);
        var registered = await _cluster.Grains.GetGrain<IPhoneNumberGrain>(Phone).Debtors();
        Assert.Equal(2, registered.Count);

        var views = new Dictionary<string, DebtorView>();
        foreach (var patient in Patients)
        {
            views[patient] = (await _cluster.Debtor(Creditor, patient).Get())!;
        }

        var refused = Assert.Single(Patients, p => !registered.Contains(GrainKeys.Compose(Creditor, p)));
        var sms = views[refused].ContactPoints.Single(p => p.Channel == Channel.Sms);
        Assert.Equal(("disabled", "shared_number"), (sms.Status, sms.Reason));
        Assert.DoesNotContain(views[refused].ContactLog, e => e.Channel == Channel.Sms);
        Assert.Contains(views[refused].ContactLog, e => e.Channel == Channel.Email && e.Status == ContactStatus.Sent);
        foreach (var texted in Patients.Where(p => p != refused))
        {
            Assert.Equal("active", views[texted].ContactPoints.Single(p => p.Channel == Channel.Sms).Status);
            Assert.Contains(views[texted].ContactLog, e => e.Channel == Channel.Sms);
        }
    }
}
