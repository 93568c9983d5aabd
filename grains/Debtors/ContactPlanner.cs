using System.Security.Cryptography;
using System.Text;
using Recouvrement.Calendar;

namespace Recouvrement.Debtors;

/// <summary>A debtor's decisions about contacts, as pure functions: when to send, on which channel, what to record.</summary>
public static class ContactPlanner
{
    private static readonly Channel[] FallbackOrder = [Channel.Email, Channel.Sms, Channel.Letter];

    /// <summary>
    /// Queues a case's request. The dispatch waits for the next send window, and inside an open window for a
    /// short consolidation delay, so that every case due together leaves in one message. Returns the new
    /// dispatch time when it moved.
    /// </summary>
    public static (DebtorState State, DateTimeOffset? MovedDispatchTo) Queue(
        DebtorState state, ContactRequest request, DateTimeOffset now, ContactOptions options)
    {
        if (state.LastSentStage.TryGetValue(request.CaseReference, out var sent) && sent >= request.Stage)
        {
            return (state, null);
        }

        var queued = state.Pending.Find(r => r.CaseReference == request.CaseReference);
        if (queued is not null && queued.Stage > request.Stage)
        {
            return (state, null);
        }

        var pending = state.Pending.RemoveAll(r => r.CaseReference == request.CaseReference).Add(request);
        var candidate = SendWindow.NextOpening(now + options.ConsolidationDelay, AlsaceMoselle(state));
        var dispatchAt = state.DispatchAt is { } existing && existing <= candidate ? existing : candidate;
        return (state with { Pending = pending, DispatchAt = dispatchAt }, dispatchAt == state.DispatchAt ? null : dispatchAt);
    }

    public static bool AlsaceMoselle(DebtorState state) => SendWindow.IsAlsaceMoselle(state.Details?.Address?.PostalCode);

    /// <summary>
    /// Chooses a channel for each wanted request and groups them: one message per channel for all its cases.
    /// A channel the debtor has no contact point for falls back to the first one available.
    /// </summary>
    public static IReadOnlyList<(Channel Channel, string Recipient, IReadOnlyList<ContactRequest> Requests)> Route(
        DebtorDetails details, IEnumerable<ContactRequest> wanted)
    {
        var byChannel = new SortedDictionary<Channel, List<ContactRequest>>();
        foreach (var request in wanted)
        {
            var usable = request.Channels.Distinct().Where(c => Recipient(details, c) is not null).ToList();
            if (usable.Count == 0)
            {
                usable.AddRange(FallbackOrder.Where(c => Recipient(details, c) is not null).Take(1));
            }

            foreach (var channel in usable)
            {
                if (!byChannel.TryGetValue(channel, out var list))
                {
                    byChannel[channel] = list = [];
                }

                list.Add(request);
            }
        }

        return [.. byChannel.Select(kv => (kv.Key, Recipient(details, kv.Key)!, (IReadOnlyList<ContactRequest>)kv.Value))];
    }

    public static string? Recipient(DebtorDetails details, Channel channel) => channel switch
    {
        Channel.Email => details.Email,
        Channel.Sms => details.Phone,
        Channel.Letter => details.Address is { } a ? $"{details.Name}, {a.Line1}, {a.PostalCode} {a.City}, {a.Country}" : null,
        _ => null,
    };

    /// <summary>A stable id: the same debtor, channel and case stages always give the same message id.</summary>
    public static string MessageId(string debtorKey, Channel channel, IEnumerable<ContactRequest> requests)
    {
        var identity = $"{debtorKey}|{channel}|{string.Join(';', requests.Select(r => $"{r.CaseReference}#{r.Stage}").Order(StringComparer.Ordinal))}";
        return "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }

    /// <summary>The state once a dispatch is done: nothing pending, each case's sent stage and the log updated.</summary>
    public static DebtorState Dispatched(
        DebtorState state, IEnumerable<(string MessageId, Channel Channel, IReadOnlyList<ContactRequest> Requests)> sent,
        DateTimeOffset now, ContactOptions options)
    {
        var log = state.Log;
        var stages = state.LastSentStage;
        foreach (var (messageId, channel, requests) in sent)
        {
            log = log.Add(new ContactLogEntry(messageId, now, channel, [.. requests.Select(r => r.CaseReference)]));
            foreach (var request in requests)
            {
                stages = stages.SetItem(request.CaseReference, Math.Max(request.Stage, stages.GetValueOrDefault(request.CaseReference, -1)));
            }
        }

        if (log.Count > options.ContactLogLength)
        {
            log = log.RemoveRange(0, log.Count - options.ContactLogLength);
        }

        return state with { Pending = [], DispatchAt = null, Log = log, LastSentStage = stages };
    }
}
