using Microsoft.Extensions.Logging;

namespace Recouvrement.Debtors;

/// <summary>
/// Registers a debtor's phone with its <see cref="IPhoneNumberGrain"/> once an SMS is planned or sent to it, so that a
/// STOP or START reply from it finds this debtor. A number that already has the most debtors allowed refuses: the
/// phone is then disabled for SMS (<c>shared_number</c>), since a STOP from it could not reach this debtor, and the
/// planner falls back to the other channels. Should the registration fail, the caller's write still goes ahead and
/// the next dispatch that texts the phone registers it.
/// </summary>
internal sealed partial class PhoneIndex(IGrainFactory grains, string debtorKey, ContactOptions options, TimeProvider clock, ILogger logger)
{
    /// <summary>The state with the phone registered (or disabled as shared), for the caller's write to keep.</summary>
    public async Task<DebtorState> Register(DebtorState s, bool smsPlanned)
    {
        var phone = s.Details?.Phone;
        if (phone is null || phone == s.IndexedPhone || !smsPlanned
            || (s.Disabled.TryGetValue(Channel.Sms, out var off) && off.Value == phone))
        {
            return s;
        }

        try
        {
            if (await grains.Reference<IPhoneNumberGrain>(phone).Add(debtorKey))
            {
                return s with { IndexedPhone = phone };
            }

            LogSharedPhone(logger, options.MaxDebtorsPerPhone);
            return s with { Disabled = s.Disabled.SetItem(Channel.Sms, new DisabledPoint(phone, ContactLog.SharedNumber, clock.GetUtcNow())) };
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            LogPhoneNotIndexed(logger, e);
            return s;
        }
    }

    /// <summary>Whether the state's phone was texted: registered after a round, whether or not it was planned with the case's step.</summary>
    public static bool Texted(DebtorState s) =>
        s.Details?.Phone is { } phone && s.Log.Exists(e => e.Channel == Channel.Sms && e.Recipient == phone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The phone of an SMS planned or sent could not be registered for replies; the next dispatch that texts it registers it")]
    private static partial void LogPhoneNotIndexed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A phone number already registered for {Max} debtors is not texted for one more; its SMS are disabled (shared_number)")]
    private static partial void LogSharedPhone(ILogger logger, int max);
}
