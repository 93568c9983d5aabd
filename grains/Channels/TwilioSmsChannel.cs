using System.Net;
using Microsoft.Extensions.Logging;
using Recouvrement.Messaging;

namespace Recouvrement.Channels;

/// <summary>
/// SMS through Twilio, with the Twilio package (<see cref="TwilioClient"/>). Twilio's answers become outcomes: 21211 an
/// invalid number, 21614 not a mobile, 21610 a recipient who said STOP, 20429/429 and a 503 with Retry-After a retry; any
/// other 5xx or a timeout leaves the message in doubt.
/// </summary>
public sealed partial class TwilioSmsChannel(TwilioClient client, TwilioOptions options, TimeProvider time, ILogger<TwilioSmsChannel> logger) : IMessageChannel
{
    private readonly ProviderGate _gate = new(options, time);

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (PhoneNumberFormat.ToE164(message.Recipient) is not { } to)
        {
            return SendResult.Rejected(DeliveryOutcome.Undeliverable, "invalid_number");
        }

        if (!PhoneNumberFormat.CanReceiveSms(to))
        {
            return SendResult.Rejected(DeliveryOutcome.NotMobile, "landline");
        }

        var callback = string.IsNullOrEmpty(options.WebhookBaseUrl)
            ? null
            : $"{options.WebhookBaseUrl.TrimEnd('/')}/webhooks/twilio/status?debtor={Uri.EscapeDataString(message.DebtorKey)}&message={Uri.EscapeDataString(message.MessageId)}";
        var request = new TwilioMessageRequest(to, message.Body, options.From, options.MessagingServiceSid, callback);
        return await _gate.RunAsync(async ct => Outcome(await client.CreateMessageAsync(request, ct)), cancellationToken);
    }

    private SendResult Outcome(TwilioResponse response)
    {
        if (response.Created)
        {
            return SendResult.Sent(response.Sid);
        }

        var code = response.ErrorCode;
        var label = code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"http_{(int)response.Status}";
        switch (code)
        {
            case 21211:
                return SendResult.Rejected(DeliveryOutcome.Undeliverable, label);
            case 21614:
                return SendResult.Rejected(DeliveryOutcome.NotMobile, label);
            case 21610:
                return SendResult.Rejected(DeliveryOutcome.OptedOut, label);
            case 20429:
                return SendResult.Retry(label, response.RetryAfter);
        }

        switch (response.Status)
        {
            case HttpStatusCode.TooManyRequests:
                return SendResult.Retry(label, response.RetryAfter);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                LogRefused(logger, (int)response.Status, label);
                return SendResult.Retry(label, response.RetryAfter);
            case >= HttpStatusCode.InternalServerError:
                return ProviderGate.ServerError(response.Status, label, response.RetryAfter);
            default:
                LogRejected(logger, (int)response.Status, label);
                return SendResult.Rejected(null, label);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Twilio refused our credentials ({Status}, {Code}): check Recouvrement:Channels:Twilio; messages wait in their debtors' queues")]
    private static partial void LogRefused(ILogger logger, int status, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio rejected a message ({Status}, {Code})")]
    private static partial void LogRejected(ILogger logger, int status, string code);
}
