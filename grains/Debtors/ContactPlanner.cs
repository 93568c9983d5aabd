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
}
