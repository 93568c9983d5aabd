using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recouvrement.Channels;

/// <summary>A message to create through Twilio's Messages API.</summary>
public sealed record TwilioMessageRequest(string To, string Body, string? From, string? MessagingServiceSid, string? StatusCallback);

/// <summary>The message resource Twilio returns (the fields we read).</summary>
public sealed record TwilioMessage(
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("num_segments")] string? NumSegments,
    [property: JsonPropertyName("error_code")] int? ErrorCode);

/// <summary>Twilio's error body: <c>{"code":21211,"message":"…","more_info":"…","status":400}</c>.</summary>
public sealed record TwilioError(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("more_info")] string? MoreInfo,
    [property: JsonPropertyName("status")] int? Status);

/// <summary>What a create call gave: the message, or the error with its HTTP status and any Retry-After.</summary>
public sealed record TwilioResponse(HttpStatusCode Status, TwilioMessage? Message, TwilioError? Error, TimeSpan? RetryAfter);

/// <summary>
/// A small typed client for Twilio's REST Messages API (2010-04-01): <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>,
/// form-encoded, HTTP Basic authentication with the account SID and auth token; 201 with the message resource.
/// </summary>
public sealed class TwilioClient(HttpClient http, TwilioOptions options, TimeProvider? time = null)
{
    private Uri? _messagesUrl;
    private AuthenticationHeaderValue? _authorization;

    public async Task<TwilioResponse> CreateMessageAsync(TwilioMessageRequest message, CancellationToken cancellationToken = default)
    {
        var fields = new List<KeyValuePair<string, string>> { new("To", message.To), new("Body", message.Body) };
        if (!string.IsNullOrEmpty(message.MessagingServiceSid))
        {
            fields.Add(new("MessagingServiceSid", message.MessagingServiceSid));
        }
        else if (!string.IsNullOrEmpty(message.From))
        {
            fields.Add(new("From", message.From));
        }
        else
        {
            throw new InvalidOperationException("Twilio needs Recouvrement:Channels:Twilio:From or MessagingServiceSid");
        }

        if (!string.IsNullOrEmpty(message.StatusCallback))
        {
            fields.Add(new("StatusCallback", message.StatusCallback));
        }

        var sid = options.AccountSid ?? throw new InvalidOperationException("Twilio needs Recouvrement:Channels:Twilio:AccountSid");
        // The URL and the credentials are the same for every message: built once.
        using var request = new HttpRequestMessage(HttpMethod.Post, _messagesUrl ??= new Uri($"{options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(sid)}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Authorization = _authorization ??= new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sid}:{options.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken);
        var retryAfter = RetryAfterHeader.Read(response.Headers, (time ?? TimeProvider.System).GetUtcNow());
        if (response.IsSuccessStatusCode)
        {
            var created = await response.Content.ReadFromJsonAsync<TwilioMessage>(cancellationToken);
            return new TwilioResponse(response.StatusCode, created, null, retryAfter);
        }

        TwilioError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<TwilioError>(cancellationToken);
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy: the status code is all there is.
        }

        return new TwilioResponse(response.StatusCode, null, error, retryAfter);
    }
}
