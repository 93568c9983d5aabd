using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Grains;

/// <summary>
/// A debtor's personal data erased everywhere the engine keeps it (GDPR art. 17), on request or once the retention
/// period of its closed cases ran out; amounts, dates and references stay.
/// </summary>
public sealed class ErasureTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private static readonly DateOnly DueOn = new(2026, 11, 3);
    private FakeClockCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await StartAsync(Paris(2026, 11, 3, 10), new Dictionary<string, string?> { ["Recouvrement:Retention:ClosedCaseDays"] = "30" });
        Assert.True(await _cluster.Grains.GetGrain<ICreditorGrain>(Creditor).Onboard("Laboratoire Exemple"));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_erased_debtor_leaves_no_personal_data_in_its_grains_its_cases_its_files_or_its_phone_index()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-1", dueOn: DueOn));
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-2", amount: 20m, dueOn: DueOn));
        await _cluster.Case(Creditor, "FAC-2").RecordPayment(new PaymentReceipt("VIR-1", 20m, "EUR", DueOn, "bank_transfer"));
        await _cluster.Case(Creditor, "FAC-1").Dispute("amount", "Je ne dois que 30 euros, voir avec Mme Martin");
        await _cluster.Case(Creditor, "FAC-1").ResolveDispute(uphold: false, "Le montant est bien de 42,50 EUR");
        await _cluster.RunUntil(Paris(2026, 11, 26, 12)); // reminders, then the formal notice letter
        var letters = Path.Combine(_cluster.OutboxFolder, "letters", Creditor);
        Assert.NotEmpty(Directory.GetFiles(letters, "*.pdf"));
        Assert.NotEmpty(Directory.GetFiles(_cluster.OutboxFolder, "msg_*.json"));
        Assert.Contains("labo/PAT-1", await _cluster.Grains.GetGrain<IPhoneNumberGrain>("+33612345678").Debtors());

        var erasure = await DebtorErasure.EraseAsync(_cluster.Grains, Creditor, "PAT-1", "key_0123456789ab");

        Assert.Equal(("key_0123456789ab", 2, _cluster.Now), (erasure!.By, erasure.Cases, erasure.At));
        var debtor = (await _cluster.Debtor(Creditor, "PAT-1").Get())!;
        Assert.Equal(("PAT-1", DebtorDetails.ErasedName, null), (debtor.Reference, debtor.Name, debtor.Address));
        Assert.Empty(debtor.ContactPoints);
        Assert.Empty(debtor.OpenCases);
        Assert.All(debtor.ContactLog, e => Assert.Null(e.Recipient));
        Assert.Equal(erasure, debtor.Erasure);
        Assert.Empty(Directory.GetFiles(_cluster.OutboxFolder, "msg_*.json"));
        Assert.Empty(Directory.GetFiles(letters));
        Assert.Empty(await _cluster.Grains.GetGrain<IPhoneNumberGrain>("+33612345678").Debtors());

        var open = (await _cluster.Case(Creditor, "FAC-1").Get())!;
        Assert.Equal((CaseStatus.Closed, "erased", 42.50m, DueOn, (string?)null), (open.Status, open.ClosedReason, open.Amount, open.DueOn, open.Label));
        Assert.Equal("amount", open.Dispute!.Reason);
        Assert.Null(open.Dispute.Message);
        Assert.All(open.History.Where(e => e.Kind is "disputed" or "dispute_rejected"), e => Assert.Null(e.Detail));
        Assert.Contains(open.History, e => e.Kind == "erased" && e.Detail == "personal data erased by key_0123456789ab");
        var paid = (await _cluster.Case(Creditor, "FAC-2").Get())!;
        Assert.Equal((CaseStatus.Paid, 20m, "PAT-1"), (paid.Status, paid.Paid, paid.DebtorReference));
        Assert.Contains(paid.History, e => e.Kind == "payment_received" && e.Detail!.Contains("VIR-1", StringComparison.Ordinal));

        // Nothing is sent any more, and a second erasure keeps the first record.
        var sent = _cluster.Channel.Attempts.Count;
        await _cluster.RunUntil(Paris(2027, 1, 31, 12));
        Assert.Equal(sent, _cluster.Channel.Attempts.Count);
        Assert.Equal(erasure, await DebtorErasure.EraseAsync(_cluster.Grains, Creditor, "PAT-1", "key_other"));
        Assert.Null(await DebtorErasure.EraseAsync(_cluster.Grains, Creditor, "NOBODY", "key_0123456789ab"));
    }

    [Fact]
    public async Task A_debtor_whose_last_case_settled_is_erased_once_the_retention_period_ran_out_and_not_before()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-1", dueOn: DueOn));
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-2", dueOn: DueOn));
        await _cluster.Case(Creditor, "FAC-1").RecordPayment(new PaymentReceipt("VIR-1", 42.50m, "EUR", DueOn, "bank_transfer"));
        await _cluster.RunUntil(Paris(2026, 11, 20, 12));
        Assert.Equal("Marie Durand", (await _cluster.Debtor(Creditor, "PAT-1").Get())!.Name); // FAC-2 is still open

        await _cluster.Case(Creditor, "FAC-2").Cancel("billing error");
        await _cluster.RunUntil(Paris(2026, 12, 19, 12)); // 29 days after: kept
        Assert.Null((await _cluster.Debtor(Creditor, "PAT-1").Get())!.Erasure);

        // The 30 days have run: the retention reminder fires (a day later at most, its period, when the clock jumps over it).
        await _cluster.RunUntil(Paris(2026, 12, 22, 13));
        var debtor = await _cluster.NudgeUntil(() => _cluster.Debtor(Creditor, "PAT-1").Get(), d => d!.Erasure is not null,
            "the retention timer to erase the debtor");
        Assert.Equal((DebtorErasure.Retention, 2), (debtor!.Erasure!.By, debtor.Erasure.Cases));
        Assert.Equal(DebtorDetails.ErasedName, debtor.Name);
        Assert.Null((await _cluster.Case(Creditor, "FAC-1").Get())!.Label);
        Assert.Null((await _cluster.Case(Creditor, "FAC-2").Get())!.Label);
    }

    [Fact]
    public async Task A_new_case_fed_before_the_retention_period_ends_keeps_the_debtor()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-1", dueOn: DueOn));
        await _cluster.Case(Creditor, "FAC-1").RecordPayment(new PaymentReceipt("VIR-1", 42.50m, "EUR", DueOn, "bank_transfer"));
        await _cluster.RunUntil(Paris(2026, 11, 20, 12));
        await _cluster.CreateCase(Creditor, Drafts.Case("FAC-3", dueOn: new DateOnly(2026, 11, 19)));

        await _cluster.RunUntil(Paris(2026, 12, 21, 12));
        var debtor = (await _cluster.Debtor(Creditor, "PAT-1").Get())!;
        Assert.Null(debtor.Erasure);
        Assert.Equal("Marie Durand", debtor.Name);
    }
}
