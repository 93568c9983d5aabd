using System.Security.Cryptography;
using System.Text;
using Recouvrement.Calendar;
using Recouvrement.Messaging;

namespace Recouvrement.Debtors;

/// <summary>One message a dispatch will send: its channel, recipient and the cases it names.</summary>
public sealed record PlannedMessage(Channel Channel, string Recipient, IReadOnlyList<ContactRequest> Requests);

/// <summary>
/// What a dispatch does now: the messages to send, the requests that must wait for a frequency cap or the
/// minimum gap (and when to look again), and those that cannot reach the debtor at all.
/// </summary>
public sealed record ContactPlan(
    IReadOnlyList<PlannedMessage> Send, ImmutableList<ContactRequest> Deferred, DateTimeOffset? DeferredUntil, IReadOnlyList<ContactRequest> Unreachable);

/// <summary>A debtor's decisions about contacts, as pure functions: when to send, on which channel, what to record.</summary>
public static class ContactPlanner
{
    private static readonly Channel[] FallbackOrder = [Channel.Email, Channel.Sms, Channel.Letter];

    public static bool AlsaceMoselle(DebtorState state) => SendWindow.IsAlsaceMoselle(state.Details?.Address?.PostalCode);

    public static string? Recipient(DebtorDetails details, Channel channel) => channel switch
    {
        Channel.Email => details.Email,
        Channel.Sms => details.Phone,
        Channel.Letter => details.Address is { } a ? $"{details.Name}, {a.Line1}, {a.PostalCode} {a.City}, {a.Country}" : null,
        _ => null,
    };

    /// <summary>Whether a channel can reach the debtor: it has a contact point, no provider refused it, no STOP.</summary>
    public static bool Usable(DebtorState state, Channel channel)
    {
        if (state.Details is not { } details || Recipient(details, channel) is not { } recipient)
        {
            return false;
        }

        if (channel == Channel.Sms && state.SmsOptOutAt is not null)
        {
            return false;
        }

        return !(state.Disabled.TryGetValue(channel, out var disabled) && disabled.Value == recipient);
    }

    /// <summary>
    /// Plans a dispatch of the wanted requests. Each request goes on the channels its step asked for that can reach
    /// the debtor; when none can, on the first that can in the order e-mail, SMS, letter. E-mail and SMS then obey
    /// the frequency caps and the minimum gap: a request with no channel free now waits, and its cases join the
    /// next message. Letters are never held back. One message per channel carries every case going on it.
    /// </summary>
    public static ContactPlan Plan(DebtorState state, IEnumerable<ContactRequest> wanted, DateTimeOffset now, ContactOptions options)
    {
        var gapUntil = LastDigitalContact(state) is { } last && last + options.MinimumGap > now ? last + options.MinimumGap : (DateTimeOffset?)null;
        var byChannel = new SortedDictionary<Channel, List<ContactRequest>>();
        var deferred = ImmutableList.CreateBuilder<ContactRequest>();
        var unreachable = new List<ContactRequest>();
        DateTimeOffset? deferredUntil = null;
        foreach (var request in wanted)
        {
            var channels = request.Channels.Distinct().Where(c => Usable(state, c)).ToList();
            if (channels.Count == 0)
            {
                channels.AddRange(FallbackOrder.Where(c => Usable(state, c)).Take(1));
            }

            if (channels.Count == 0)
            {
                unreachable.Add(request);
                continue;
            }

            var free = channels.Where(c => c == Channel.Letter || (gapUntil is null && CapFreeAt(state, c, now, options) is null)).ToList();
            if (free.Count == 0)
            {
                deferred.Add(request);
                var at = channels.Select(c => Later(gapUntil, CapFreeAt(state, c, now, options)) ?? now).Min();
                deferredUntil = deferredUntil is { } d && d <= at ? d : at;
                continue;
            }

            foreach (var channel in free)
            {
                if (!byChannel.TryGetValue(channel, out var list))
                {
                    byChannel[channel] = list = [];
                }

                list.Add(request);
            }
        }

        var send = byChannel.Select(kv => new PlannedMessage(kv.Key, Recipient(state.Details!, kv.Key)!, kv.Value)).ToList();
        if (deferredUntil is { } until)
        {
            deferredUntil = SendWindow.NextOpening(until, AlsaceMoselle(state));
        }

        return new ContactPlan(send, deferred.ToImmutable(), deferredUntil, unreachable);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>When the last e-mail or SMS went out, if any.</summary>
    public static DateTimeOffset? LastDigitalContact(DebtorState state) =>
        state.Log.Where(e => e.Channel != Channel.Letter && e.Status.WasContact()).Select(e => (DateTimeOffset?)e.SentAt).Max();

    /// <summary>When the channel's cap lets one more message through, or null when it does now.</summary>
    public static DateTimeOffset? CapFreeAt(DebtorState state, Channel channel, DateTimeOffset now, ContactOptions options)
    {
        var max = options.MaxPerPeriod(channel);
        var recent = state.Log
            .Where(e => e.Channel == channel && e.Status.WasContact() && e.SentAt > now - options.CapPeriod)
            .Select(e => e.SentAt).Order().ToList();
        return recent.Count < max ? null : recent[recent.Count - max] + options.CapPeriod;
    }

    /// <summary>A stable id: the same debtor, channel and case stages always give the same message id.</summary>
    public static string MessageId(string debtorKey, Channel channel, IEnumerable<ContactRequest> requests)
    {
        var identity = $"{debtorKey}|{channel}|{string.Join(';', requests.Select(r => $"{r.CaseReference}#{r.Stage}{(r.Kind.IsScheduleStep() ? string.Empty : "#" + r.Kind)}").Order(StringComparer.Ordinal))}";
        return "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }

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
            var stages = after.LastSentStage;
            foreach (var request in message.Requests.Where(r => r.Kind.IsScheduleStep()))
            {
                stages = stages.SetItem(request.CaseReference, Math.Max(request.Stage, stages.GetValueOrDefault(request.CaseReference, -1)));
            }

            return after with { LastSentStage = stages };
        }

        return result.Problem is { } problem ? Refused(after, message.Channel, message.Recipient, problem, result.Code, now) : after;
    }

    /// <summary>A provider said a contact point cannot be used: SMS opt-out for a STOP, a disabled point otherwise.</summary>
    public static DebtorState Refused(DebtorState state, Channel channel, string recipient, DeliveryOutcome problem, string? code, DateTimeOffset now)
    {
        if (state.Details is not { } details || Recipient(details, channel) != recipient)
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
}
