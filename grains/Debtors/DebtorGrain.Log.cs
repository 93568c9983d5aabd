using Microsoft.Extensions.Logging;

namespace Recouvrement.Debtors;

public sealed partial class DebtorGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} by {Channel} was handed over without its answer recorded; it is logged as in doubt and not sent again")]
    private static partial void LogInDoubt(ILogger logger, string messageId, Channel channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Debtor {DebtorKey}: personal data erased, asked by {By}")]
    private static partial void LogErased(ILogger logger, string debtorKey, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback on message {MessageId} by {Channel}: {Outcome}")]
    private static partial void LogFeedback(ILogger logger, string messageId, Channel channel, DeliveryOutcome outcome);
}
