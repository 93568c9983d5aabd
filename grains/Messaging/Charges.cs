namespace Recouvrement.Messaging;

/// <summary>
/// What a letter may add to the principal. Consumers: nothing (CPCE L111-8: collection costs stay with the
/// creditor). Business debtors, when the creditor enables them: late-payment interest at the creditor's annual
/// rate from the due date, and the fixed 40 EUR recovery indemnity per invoice (Code de commerce L441-10, D441-5).
/// </summary>
public static class Charges
{
    public const decimal RecoveryIndemnity = 40m;

    public static MessageCase For(ContactRequest request, DebtorKind kind, CreditorSettings settings, DateOnly today)
    {
        var principal = request.Principal > 0 ? request.Principal : request.Balance;
        var interest = 0m;
        var other = 0m;
        if (kind == DebtorKind.Business)
        {
            var daysLate = request.DueOn == default ? 0 : today.DayNumber - request.DueOn.DayNumber;
            if (settings.LateInterestRate is { } rate && rate > 0 && daysLate > 0)
            {
                interest = Math.Round(request.Balance * rate / 100m * daysLate / 365m, 2, MidpointRounding.AwayFromZero);
            }

            if (settings.RecoveryIndemnity)
            {
                other = RecoveryIndemnity;
            }
        }

        return new MessageCase(request.CaseReference, request.Stage, request.IssuedOn, request.Balance, request.Currency)
        {
            DueOn = request.DueOn,
            Principal = principal,
            Paid = request.Paid,
            Interest = interest,
            OtherCharges = other,
            FirstContactAt = request.FirstContactAt,
            FirstContactId = request.FirstContactId,
            Kind = request.Kind,
            Note = request.Note,
            Instalment = request.Instalment,
        };
    }
}
