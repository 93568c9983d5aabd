using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Calendar;
using Recouvrement.Hosting;
using Recouvrement.Messaging;

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
            while (batch is { Messages.Count: > 0 })
            {
                var sent = new List<SentMessage>(batch.Messages.Count);
                foreach (var message in batch.Messages)
                {
                    sent.Add(new SentMessage(message.MessageId, await Send(batch, message)));
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

    private async Task<SendResult> Send(DispatchBatch batch, InFlightMessage message)
    {
        SendResult result;
        try
        {
            result = await channel.SendAsync(Compose(batch, message));
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
    private OutgoingMessage Compose(DispatchBatch batch, InFlightMessage message)
    {
        var details = batch.Debtor;
        var today = ParisTime.DateOf(batch.Now);
        var cases = message.Requests.Select(r => Charges.For(r, details.Kind, batch.Settings, today)).ToList();
        var kind = MessageComposer.KindOf(message.Requests.Select(r => r.Kind));
        var language = details.MessageLanguage;
        var (subject, body) = MessageComposer.Compose(new MessageInput(
            message.MessageId, message.Channel, kind, batch.CreditorName, batch.Settings.Address, cases, batch.Link, language,
            agency.Value, batch.Now, details.Kind == DebtorKind.Business ? batch.Settings.LateInterestRate : null));
        return new OutgoingMessage(
            message.MessageId, batch.CreditorId, details.Reference, message.Channel, kind, message.Recipient, subject, body, batch.Link, cases, batch.Now)
        {
            Language = language,
            Parties = details.Address is { } address
                ? new LetterParties(details.Name, details.Kind, address, batch.CreditorName, batch.Settings.Address)
                : null,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} by {Channel} for {CaseCount} case(s): {Status} {Code}")]
    private static partial void LogSent(ILogger logger, string messageId, Channel channel, int caseCount, SendStatus status, string? code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel failed on message {MessageId} by {Channel}; the message is in doubt and not sent again")]
    private static partial void LogChannelError(ILogger logger, Exception exception, string messageId, Channel channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatch ended in an error; the reminder's next tick tries again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
