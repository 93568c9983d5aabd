using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Messaging;
using Recouvrement.Payments;

namespace Recouvrement.Debtors;

/// <summary>
/// A debtor: collects the contact requests of its cases and, once per send window, sends one message per
/// channel for all of them, after checking each case still wants it.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed partial class DebtorGrain(
    [PersistentState("debtor", StorageNames.Default)] IPersistentState<DebtorState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
    IMessageChannel channel,
    PaymentLinks links,
    IOptions<ContactOptions> options,
    ILogger<DebtorGrain> logger) : Grain, IDebtorGrain, IRemindable
{
    internal const string DispatchReminder = "dispatch";
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(30);

    private string Key => this.GetPrimaryKeyString();

    public async Task Attach(string caseReference, DebtorDetails details)
    {
        var s = state.State;
        if (s.Details == details && s.OpenCases.Contains(caseReference))
        {
            return;
        }

        state.State = s with { Details = details, OpenCases = s.OpenCases.Contains(caseReference) ? s.OpenCases : s.OpenCases.Add(caseReference) };
        await state.WriteStateAsync();
    }

    public async Task RequestContact(ContactRequest request)
    {
        var (next, moved) = ContactPlanner.Queue(state.State, request, clock.GetUtcNow(), options.Value);
        if (ReferenceEquals(next, state.State))
        {
            return;
        }

        state.State = next;
        await state.WriteStateAsync();
        if (moved is { } at)
        {
            await WakeAt(at);
        }
    }

    public async Task Withdraw(string caseReference, bool caseIsSettled)
    {
        var s = state.State;
        var after = s with
        {
            Pending = s.Pending.RemoveAll(r => r.CaseReference == caseReference),
            OpenCases = caseIsSettled ? s.OpenCases.Remove(caseReference) : s.OpenCases,
        };
        if (after.Pending.IsEmpty)
        {
            after = after with { DispatchAt = null };
        }

        if (after.Pending.Count == s.Pending.Count && after.OpenCases.Count == s.OpenCases.Count)
        {
            return;
        }

        state.State = after;
        await state.WriteStateAsync();
        if (after.Pending.IsEmpty)
        {
            await StopWaking();
        }
    }

    public Task<DebtorView?> Get()
    {
        var s = state.State;
        if (s.Details is not { } d)
        {
            return Task.FromResult<DebtorView?>(null);
        }

        var points = new List<ContactPointView>();
        if (d.Email is not null) points.Add(new ContactPointView(Channel.Email, d.Email, "active"));
        if (d.Phone is not null) points.Add(new ContactPointView(Channel.Sms, d.Phone, "active"));
        if (d.Address is not null) points.Add(new ContactPointView(Channel.Letter, ContactPlanner.Recipient(d, Channel.Letter)!, "active"));
        return Task.FromResult<DebtorView?>(new DebtorView(d.Reference, d.Kind, d.Name, s.OpenCases, points, s.Log, s.DispatchAt, d.Address));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DispatchReminder)
        {
            await Dispatch();
        }
    }

    private async Task Dispatch()
    {
        var now = clock.GetUtcNow();
        var s = state.State;
        if (s.Pending.IsEmpty || s.Details is null)
        {
            await StopWaking();
            return;
        }

        if (s.DispatchAt is { } planned && planned > now)
        {
            await WakeAt(planned);
            return;
        }

        var opening = Calendar.SendWindow.NextOpening(now, ContactPlanner.AlsaceMoselle(s));
        if (opening > now)
        {
            state.State = s with { DispatchAt = opening };
            await state.WriteStateAsync();
            await WakeAt(opening);
            return;
        }

        // The current state of every case is checked right before sending: a case paid, held or
        // disputed since it asked is never reminded.
        var wanted = new List<ContactRequest>();
        foreach (var request in s.Pending)
        {
            if (await CaseOf(request).StillWantsContact(request.Stage))
            {
                wanted.Add(request);
            }
        }

        var creditorId = GrainKeys.Split(Key).CreditorId;
        var creditor = await GrainFactory.GetGrain<ICreditorGrain>(creditorId).GetProfile();
        var link = links.LinkFor(Key, now);
        var sent = new List<(string MessageId, Channel Channel, IReadOnlyList<ContactRequest> Requests)>();
        foreach (var (route, recipient, requests) in ContactPlanner.Route(s.Details, wanted))
        {
            var messageId = ContactPlanner.MessageId(Key, route, requests);
            var cases = requests.Select(r => new MessageCase(r.CaseReference, r.Stage, r.IssuedOn, r.Balance, r.Currency)).ToList();
            var kind = requests.Any(r => r.Kind == ContactKind.FormalNotice) ? ContactKind.FormalNotice : ContactKind.Reminder;
            var (subject, body) = MessageComposer.Compose(route, kind, creditor?.Name ?? creditorId, cases, link);
            await channel.SendAsync(new OutgoingMessage(
                messageId, creditorId, s.Details.Reference, route, kind, recipient, subject, body, link, cases, now));
            sent.Add((messageId, route, requests));
            LogSent(logger, messageId, route, requests.Count);
        }

        state.State = ContactPlanner.Dispatched(s, sent, now, options.Value);
        await state.WriteStateAsync();
        foreach (var (messageId, route, requests) in sent)
        {
            foreach (var request in requests)
            {
                _ = CaseOf(request).ContactMade(new ContactReceipt(messageId, request.Stage, route, now));
            }
        }

        await StopWaking();
    }

    private ICaseGrain CaseOf(ContactRequest request) =>
        GrainFactory.GetGrain<ICaseGrain>(GrainKeys.Compose(GrainKeys.Split(Key).CreditorId, request.CaseReference));

    private async Task WakeAt(DateTimeOffset at)
    {
        var due = at - clock.GetUtcNow();
        await this.RegisterOrUpdateReminder(DispatchReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, RetryPeriod);
    }

    private async Task StopWaking()
    {
        if (await this.GetReminder(DispatchReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} sent by {Channel} for {CaseCount} case(s)")]
    private static partial void LogSent(ILogger logger, string messageId, Channel channel, int caseCount);
}
