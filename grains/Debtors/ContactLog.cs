using Recouvrement.Messaging;

namespace Recouvrement.Debtors;

/// <summary>
/// A debtor's contact log as pure functions: what became of each message, the stages each case was sent, the
/// contact points a provider refused, and a provider's later feedback.
/// </summary>
public static class ContactLog
{
    /// <summary>
    /// Records what became of one message: a log entry, the stages it carried, and a disabled contact point when
    /// the provider blamed it. A message to retry leaves no trace but its removal from the in-flight list.
    /// </summary>
    public static DebtorState Record(DebtorState state, InFlightMessage message, SendResult result, DateTimeOffset now, ContactOptions options)
    {
        var status = result.Status switch
        {
            SendStatus.Sent => ContactStatus.Sent,
            SendStatus.InDoubt => ContactStatus.InDoubt,
            _ => ContactStatus.Failed,
        };
        var after = state with { InFlight = state.InFlight.RemoveAll(m => m.MessageId == message.MessageId) };
        if (result.Status == SendStatus.RetryLater)
        {
            return after;
        }

        after = AddLog(after, new ContactLogEntry(
            message.MessageId, now, message.Channel, [.. message.Requests.Select(r => r.CaseReference)], status, result.ProviderId, result.Code, message.Recipient), options);
        if (result.Status is SendStatus.Sent or SendStatus.InDoubt)
        {
            return message.Requests.Aggregate(after, StageSent);
        }

        return result.Problem is { } problem ? Refused(after, message.Channel, message.Recipient, problem, result.Code, now) : after;
    }

    /// <summary>A provider said a contact point cannot be used: SMS opt-out for a STOP, a disabled point otherwise.</summary>
    public static DebtorState Refused(DebtorState state, Channel channel, string recipient, DeliveryOutcome problem, string? code, DateTimeOffset now)
    {
        if (state.Details is not { } details || ContactPlanner.Recipient(details, channel) != recipient)
        {
            return state;
        }

        return problem switch
        {
            DeliveryOutcome.OptedOut when channel == Channel.Sms => state.SmsOptOutAt is null ? state with { SmsOptOutAt = now } : state,
            DeliveryOutcome.Undeliverable or DeliveryOutcome.NotMobile => state with
            {
                Disabled = state.Disabled.SetItem(channel, new DisabledPoint(recipient, Reason(channel, problem, code), now)),
            },
            _ => state,
        };
    }

    /// <summary>Why a phone shared by too many debtors is not texted (<see cref="ContactOptions.MaxDebtorsPerPhone"/>).</summary>
    public const string SharedNumber = "shared_number";

    private static string Reason(Channel channel, DeliveryOutcome problem, string? code)
    {
        var what = (channel, problem) switch
        {
            (Channel.Email, _) => "hard_bounce",
            (Channel.Sms, DeliveryOutcome.NotMobile) => "not_mobile",
            (Channel.Sms, _) => "invalid_number",
            _ => "undeliverable",
        };
        return code is null ? what : $"{what} ({code})";
    }

    /// <summary>After a crash mid-dispatch, the messages handed over without an answer recorded are logged as in doubt.</summary>
    public static DebtorState Abandoned(DebtorState state, DateTimeOffset now, ContactOptions options) =>
        state.InFlight.Aggregate(state, (s, m) => Record(s, m, SendResult.Unknown("interrupted"), now, options));

    public static DebtorState AddLog(DebtorState state, ContactLogEntry entry, ContactOptions options)
    {
        var log = state.Log.Add(entry);
        if (log.Count > options.ContactLogLength)
        {
            log = log.RemoveRange(0, log.Count - options.ContactLogLength);
        }

        return state with { Log = log };
    }

    /// <summary>A provider's later feedback on a logged message: its status, and the contact point's health.</summary>
    public static DebtorState Delivery(DebtorState state, DeliveryReport report, ContactOptions options)
    {
        var index = state.Log.FindLastIndex(e => e.MessageId == report.MessageId && e.Channel == report.Channel);
        if (index < 0)
        {
            return state;
        }

        var entry = state.Log[index];
        var status = report.Outcome switch
        {
            DeliveryOutcome.Delivered => ContactStatus.Delivered,
            DeliveryOutcome.Undeliverable or DeliveryOutcome.NotMobile => report.Channel == Channel.Email ? ContactStatus.Bounced : ContactStatus.Failed,
            DeliveryOutcome.OptedOut => ContactStatus.Failed,
            DeliveryOutcome.TemporaryFailure => entry.Status is ContactStatus.Delivered ? entry.Status : ContactStatus.Undelivered,
            _ => entry.Status == ContactStatus.InDoubt ? ContactStatus.Sent : entry.Status,
        };
        var after = state;
        if (status != entry.Status || report.Code != entry.Detail && report.Code is not null)
        {
            after = after with { Log = after.Log.SetItem(index, entry.With(status) with { Detail = report.Code ?? entry.Detail }) };
        }

        return entry.Recipient is { } recipient && report.Outcome is DeliveryOutcome.Undeliverable or DeliveryOutcome.NotMobile or DeliveryOutcome.OptedOut
            ? Refused(after, report.Channel, recipient, report.Outcome, report.Code, report.At)
            : after;
    }

    /// <summary>
    /// The request's schedule step marked as done for its case (sent, in doubt, or with nobody to reach): the one place
    /// the per-case stage is kept, so that a repeated request never sends twice. A one-off message marks nothing.
    /// </summary>
    public static DebtorState StageSent(DebtorState state, ContactRequest request) =>
        request.Kind.IsScheduleStep() && !AlreadySent(state, request)
            ? state with { LastSentStage = state.LastSentStage.SetItem(request.CaseReference, request.Stage) }
            : state;

    /// <summary>Whether the request's schedule step (or a later one) was already done for its case.</summary>
    public static bool AlreadySent(DebtorState state, ContactRequest request) =>
        request.Kind.IsScheduleStep() && state.LastSentStage.GetValueOrDefault(request.CaseReference, -1) >= request.Stage;
}
