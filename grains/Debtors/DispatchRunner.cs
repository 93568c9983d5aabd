using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Calendar;
using Recouvrement.Hosting;
using Recouvrement.Messaging;
using Recouvrement.Payments;

namespace Recouvrement.Debtors;

/// <summary>
/// Runs a debtor's dispatch outside any turn of its grain: waits for one of the silo's dispatch slots, asks the
/// debtor for the messages of its round (<see cref="IDebtorGrain.BeginDispatch"/>, which writes them as in flight),
/// hands each to its channel, and reports what became of them (<see cref="IDebtorGrain.RecordSent"/>), step after
/// step. No grain call waits on a provider: pacing, retries and slow answers hold the slot, never the grain, so the
/// debtor keeps answering its cases and every call stays well within its timeout.
/// </summary>
public sealed partial class DispatchRunner(
    IGrainFactory grains,
    IMessageChannel channel,
    DispatchSlots slots,
    PaymentLinks links,
    IOptions<AgencyOptions> agency,
    ILogger<DispatchRunner> logger)
{
    public async Task RunAsync(string debtorKey)
    {
        await slots.WaitAsync();
        try
        {
            var debtor = grains.Reference<IDebtorGrain>(debtorKey);
            var batch = await debtor.BeginDispatch();
            Sender? sender = null;
            while (batch is { Messages.Count: > 0 })
            {
                // What every message of the round is written in the name of: the creditor, and the debtor's payment link.
                if (sender is null)
                {
                    var creditorId = GrainKeys.Split(debtorKey).CreditorId;
                    var (creditor, settings) = await grains.Reference<ICreditorGrain>(creditorId).GetProfileAndSettings();
                    sender = new Sender(creditorId, creditor?.Name ?? creditorId, settings, links.LinkFor(debtorKey, batch.Now));
                }

                var sent = new List<SentMessage>(batch.Messages.Count);
                foreach (var message in batch.Messages)
                {
                    sent.Add(new SentMessage(message.MessageId, await Send(batch, sender, message)));
                }

                batch = await debtor.RecordSent(batch.Round, sent);
            }
        }
        catch (Exception e)
        {
            // The dispatch reminder, still registered, ticks again; messages left in flight are then in doubt.
            LogDispatchFailed(logger, e);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<SendResult> Send(DispatchBatch batch, Sender sender, InFlightMessage message)
    {
        SendResult result;
        try
        {
            result = await channel.SendAsync(Compose(batch, sender, message));
        }
        catch (Exception e)
        {
            // A channel that throws did not say whether the provider got the message: in doubt, never sent again.
            LogChannelError(logger, e, message.MessageId, message.Channel);
            result = SendResult.Unknown("channel_error");
        }

        LogSent(logger, message.MessageId, message.Channel, message.Requests.Count, result.Status, result.Code);
        EngineMetrics.MessageSent(message.Channel, result.Status.ToString().ToLowerInvariant());
        return result;
    }

    /// <summary>The message as its channel sends it: text in the debtor's language, the amounts owed today, the letter's parties.</summary>
    private OutgoingMessage Compose(DispatchBatch batch, Sender sender, InFlightMessage message)
    {
        var details = batch.Debtor;
        var today = ParisTime.DateOf(batch.Now);
        var cases = message.Requests.Select(r => Charges.For(r, details.Kind, sender.Settings, today)).ToList();
        var kind = MessageComposer.KindOf(message.Requests.Select(r => r.Kind));
        var language = details.MessageLanguage;
        var (subject, body) = MessageComposer.Compose(new MessageInput(
            message.MessageId, message.Channel, kind, sender.CreditorName, sender.Settings.Address, cases, sender.Link, language,
            agency.Value, batch.Now, details.Kind == DebtorKind.Business ? sender.Settings.LateInterestRate : null));
        return new OutgoingMessage(
            message.MessageId, sender.CreditorId, details.Reference, message.Channel, kind, message.Recipient, subject, body, sender.Link, cases, batch.Now)
        {
            Language = language,
            Parties = details.Address is { } address
                ? new LetterParties(details.Name, details.Kind, address, sender.CreditorName, sender.Settings.Address)
                : null,
        };
    }

    /// <summary>Whose name a round's messages carry, and the link they give.</summary>
    private sealed record Sender(string CreditorId, string CreditorName, CreditorSettings Settings, string Link);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} by {Channel} for {CaseCount} case(s): {Status} {Code}")]
    private static partial void LogSent(ILogger logger, string messageId, Channel channel, int caseCount, SendStatus status, string? code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel failed on message {MessageId} by {Channel}; the message is in doubt and not sent again")]
    private static partial void LogChannelError(ILogger logger, Exception exception, string messageId, Channel channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatch ended in an error; the reminder's next tick tries again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
