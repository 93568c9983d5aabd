using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Mail;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Recouvrement.Messaging;
using SendGrid;

namespace Recouvrement.Channels;

/// <summary>
/// E-mail through SendGrid's mail send API with the SendGrid package. Our message id and the debtor's key travel
/// as custom args, so that Event Webhook events come back to the right debtor and message.
/// </summary>
public sealed partial class SendGridEmailChannel(HttpClient http, SendGridOptions options, TimeProvider time, ILogger<SendGridEmailChannel> logger) : IMessageChannel
{
    public const string MessageIdArg = "message_id";
    public const string DebtorArg = "debtor";
    private readonly ProviderGate _gate = new(options, time);
    private readonly SendGridClient _client = new(http, new SendGridClientOptions { ApiKey = options.ApiKey, Host = options.BaseUrl.TrimEnd('/') });
    private readonly Uri _mailSend = new(new Uri(options.BaseUrl.TrimEnd('/') + "/"), "v3/mail/send");
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", options.ApiKey);
    private static readonly string UserAgent = $"sendgrid/{typeof(SendGridClient).Assembly.GetName().Version} csharp";

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (!MailAddress.TryCreate(message.Recipient, out _))
        {
            return SendResult.Rejected(DeliveryOutcome.Undeliverable, "invalid_address");
        }

        var body = MailSendBody(message);
        return await _gate.RunAsync(async ct => await Outcome(await _client.MakeRequest(MailSendRequest(body), ct), ct), cancellationToken);
    }

    /// <summary>
    /// The request the package's <c>RequestAsync</c> would build for <c>POST /v3/mail/send</c> — bearer key, JSON
    /// without a charset, accept and user agent — but over the body's UTF-8 bytes: <c>RequestAsync</c> takes a
    /// string, which costs a copy of the body as UTF-16 and another back to UTF-8 for every e-mail. A new request
    /// for each attempt, since one is never sent twice.
    /// </summary>
    private HttpRequestMessage MailSendRequest(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, _mailSend) { Content = content };
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        return request;
    }

    /// <summary>
    /// The v3 mail send body in UTF-8: one personalization (the recipient, with our ids as custom args, which
    /// SendGrid echoes in every event), the sender, the subject, a plain-text and an HTML part, and the categories.
    /// Written directly rather than through the package's <c>SendGridMessage</c>, whose Newtonsoft serialization cost
    /// a twentieth of a silo's CPU in a burst of due cases; the two parts are written into a buffer kept per thread
    /// rather than built as strings, which were a fifth of what a burst allocated.
    /// </summary>
    internal byte[] MailSendBody(OutgoingMessage message)
    {
        var buffer = bodyBuffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var text = textBuffer ??= new ArrayBufferWriter<char>(8 * 1024);
        buffer.ResetWrittenCount();
        var json = jsonWriter ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteStartArray("personalizations");
        json.WriteStartObject();
        json.WriteStartArray("to");
        json.WriteStartObject();
        json.WriteString("email", message.Recipient);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("custom_args");
        json.WriteString(MessageIdArg, message.MessageId);
        json.WriteString(DebtorArg, message.DebtorKey);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("from");
        json.WriteString("email", options.FromEmail);
        if (!string.IsNullOrEmpty(options.FromName))
        {
            json.WriteString("name", options.FromName);
        }

        json.WriteEndObject();
        json.WriteString("subject", message.Subject);
        json.WriteStartArray("content");
        json.WriteStartObject();
        json.WriteString("type", "text/plain");
        text.ResetWrittenCount();
        EmailParts.PlainText(message.Body, text);
        json.WriteString("value", text.WrittenSpan);
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("type", "text/html");
        text.ResetWrittenCount();
        EmailParts.Html(message.Body, message.PaymentLink, text);
        json.WriteString("value", text.WrittenSpan);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("categories");
        json.WriteStringValue("recouvrement");
        json.WriteStringValue(message.Kind == ContactKind.FormalNotice ? "formal_notice" : "reminder");
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxKeptBuffer || text.Capacity > MaxKeptBuffer)
        {
            // A message for very many cases: its buffers are not kept for the next.
            bodyBuffer = null;
            textBuffer = null;
            jsonWriter = null;
        }

        return bytes;
    }

    private const int MaxKeptBuffer = 256 * 1024;

    /// <summary>Each thread's buffers and writer for the JSON of a body, kept from one message to the next (the body is written synchronously).</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? bodyBuffer;

    [ThreadStatic]
    private static ArrayBufferWriter<char>? textBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? jsonWriter;

    private async Task<SendResult> Outcome(Response response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Accepted || response.IsSuccessStatusCode)
        {
            return SendResult.Sent(response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null);
        }

        var status = (int)response.StatusCode;
        var (field, text) = await FirstError(response, cancellationToken);
        var label = $"http_{status}";
        var retryAfter = RetryAfterHeader.Read(response.Headers, time.GetUtcNow());
        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests:
                return SendResult.Retry(label, retryAfter);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                LogRefused(logger, status);
                return SendResult.Retry(label);
            case >= HttpStatusCode.InternalServerError:
                return ProviderGate.ServerError(response.StatusCode, label, retryAfter);
            case HttpStatusCode.BadRequest when field is not null && field.StartsWith("personalizations", StringComparison.Ordinal) && field.Contains(".to", StringComparison.Ordinal):
                return SendResult.Rejected(DeliveryOutcome.Undeliverable, "invalid_address");
            default:
                _ = text; // SendGrid's wording may quote the address: never logged.
                LogRejected(logger, status, field);
                return SendResult.Rejected(null, field is null ? label : $"{label} {field}");
        }
    }

    /// <summary>SendGrid's <c>{"errors":[{"message","field","help"}]}</c>: the first error's field and message.</summary>
    private static async Task<(string? Field, string? Message)> FirstError(Response response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Body.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                return (first.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null,
                    first.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // Not SendGrid's error body: the status is all there is.
        }

        return (null, null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SendGrid refused our API key ({Status}): check Recouvrement:Channels:SendGrid; messages wait in their debtors' queues")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid rejected a message ({Status}, field {Field})")]
    private static partial void LogRejected(ILogger logger, int status, string? field);
}
