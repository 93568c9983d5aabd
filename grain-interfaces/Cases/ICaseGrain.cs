using Recouvrement.Creditors;
using Recouvrement.Debtors;

namespace Recouvrement.Cases;

/// <summary>One unpaid bill, keyed <c>{creditorId}/{caseReference}</c>; owns its schedule and its timers.</summary>
public interface ICaseGrain : IGrainWithStringKey
{
    /// <summary>Creates the case, or tells whether the same reference was already fed (duplicate or conflict).</summary>
    Task<CaseCreation> Create(CaseDraft draft);

    /// <summary>The case as it stands, or null when no case has this reference.</summary>
    [ReadOnly]
    Task<CaseView?> Get();

    Task<CaseActionResult> RecordPayment(PaymentReceipt payment);

    Task<CaseActionResult> Hold();

    Task<CaseActionResult> Resume();

    Task<CaseActionResult> Cancel(string reason);

    /// <summary>
    /// Asked by the debtor just before a message goes out: is this step still wanted?
    /// Interleaves because the debtor calls it while the case may itself be waiting on the debtor;
    /// it only reads state.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> StillWantsContact(int stage);

    /// <summary>
    /// Told by the debtor once a message naming this case went out. One-way so that the debtor never
    /// waits on a case that may be waiting on it; the debtor's own contact log is the durable record.
    /// </summary>
    [OneWay]
    Task ContactMade(ContactReceipt receipt);

    /// <summary>
    /// The case's timer fired (its reminder, or a step due at once): takes the step due now, if any. Idempotent: a
    /// repeated or early wake-up only sets the next one.
    /// </summary>
    Task WakeUp();

    /// <summary>
    /// Erases the personal data the case holds (the debtor's identity and contact points, its label, the debtor's and
    /// creditor's free words) and keeps its amounts, dates, payments and references; an open case closes as
    /// <c>erased</c>. Never calls the debtor: it is a step of <see cref="DebtorErasure"/>.
    /// </summary>
    Task Erase(string by);

    /// <summary>The debtor contests the case: every reminder stops at once, and the creditor must decide.</summary>
    Task<CaseActionResult> Dispute(string reason, string? message);

    /// <summary>The creditor upholds the dispute (the case closes) or rejects it (collection resumes, with a message saying why).</summary>
    Task<CaseActionResult> ResolveDispute(bool uphold, string? note);

    /// <summary>The debtor asks for a plan of monthly instalments: agreed at once within the creditor's rules, else proposed.</summary>
    Task<CaseActionResult> ProposePlan(int instalments);

    /// <summary>The creditor accepts or refuses a proposed plan.</summary>
    Task<CaseActionResult> DecidePlan(bool accept, string? note);

    /// <summary>The creditor approves the hand-off of an escalated case on a route, or changes it; <c>write_off</c> closes the case.</summary>
    Task<CaseActionResult> ChooseLitigationRoute(LitigationRoute route);

    /// <summary>The case went to a litigation partner (its dossier was exported): idempotent.</summary>
    Task<CaseActionResult> HandOver();

    /// <summary>The partner's outcome: the case closes and the outcome joins the creditor's history of the route.</summary>
    Task<CaseActionResult> RecordLitigationOutcome(LitigationOutcome outcome, decimal? amount, string? note);

    /// <summary>Everything the litigation dossier shows of the case: its view, the debtor as the case holds it, its payments.</summary>
    [ReadOnly]
    Task<CaseRecord?> GetRecord();
}
