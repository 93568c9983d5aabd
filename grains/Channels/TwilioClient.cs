using System.Net;
using System.Runtime.ExceptionServices;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Recouvrement.Channels;

/// <summary>A message to create through Twilio's Messages API.</summary>
public sealed record TwilioMessageRequest(string To, string Body, string? From, string? MessagingServiceSid, string? StatusCallback);

/// <summary>
/// What a create call gave: the HTTP status, Twilio's SID for the message once created, Twilio's error code when its
/// error body named one, and how long Twilio asked us to wait, if it did.
/// </summary>
public sealed record TwilioResponse(HttpStatusCode Status, string? Sid, int? ErrorCode, TimeSpan? RetryAfter)
{
    public bool Created => (int)Status is >= 200 and < 300;
}

/// <summary>
/// Creates messages with the Twilio package (<see cref="MessageResource"/>), through one <see cref="TwilioRestClient"/>
/// that sends over the <see cref="HttpClient"/> it is given (<see cref="TwilioTransport"/>): the package signs the
/// request, encodes the form and reads Twilio's answers; our client keeps the timeout, the connection pool and the
/// address (<see cref="ProviderOptions.BaseUrl"/>). The package's errors become a <see cref="TwilioResponse"/>, and a
/// request that never got an answer throws what <see cref="HttpClient"/> threw, as <see cref="ProviderGate"/> expects.
/// </summary>
public sealed class TwilioClient
{
    private readonly TwilioRestClient _rest;
    private readonly TwilioOptions _options;
    private readonly TimeProvider _time;

    public TwilioClient(HttpClient http, TwilioOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        // One client for every message: it holds nothing per request. An empty token still sends the account SID, as
        // Twilio expects, and gets a 401 rather than no Authorization header at all.
        _rest = new TwilioRestClient(options.AccountSid, options.AuthToken ?? string.Empty, httpClient: new TwilioTransport(http, options.BaseUrl));
    }

    public async Task<TwilioResponse> CreateMessageAsync(TwilioMessageRequest message, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(_options.AccountSid))
        {
            throw new InvalidOperationException("Twilio needs Recouvrement:Channels:Twilio:AccountSid");
        }

        var create = new CreateMessageOptions(new PhoneNumber(message.To)) { Body = message.Body };
        if (!string.IsNullOrEmpty(message.MessagingServiceSid))
        {
            create.MessagingServiceSid = message.MessagingServiceSid;
        }
        else if (!string.IsNullOrEmpty(message.From))
        {
            create.From = new PhoneNumber(message.From);
        }
        else
        {
            throw new InvalidOperationException("Twilio needs Recouvrement:Channels:Twilio:From or MessagingServiceSid");
        }

        if (!string.IsNullOrEmpty(message.StatusCallback))
        {
            create.StatusCallback = new Uri(message.StatusCallback);
        }

        var exchange = TwilioTransport.Begin(cancellationToken);
        try
        {
            var created = await MessageResource.CreateAsync(create, _rest);
            var status = exchange.Status ?? HttpStatusCode.Created;
            return created is null ? throw Unreadable(status) : new TwilioResponse(status, created.Sid, null, null);
        }
        catch (ApiConnectionException e) when (e.InnerException is { } cause)
        {
            // No answer (refused connection, reset, timeout, cancellation): what HttpClient threw, which tells them apart.
            ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        catch (TwilioException e) when (e is ApiException or ApiStandardException)
        {
            var (code, reported) = e switch
            {
                ApiException api => (api.Code, api.Status),
                ApiStandardException standard => (standard.Code, standard.Status),
                _ => (0, 0),
            };
            var status = exchange.Status ?? (HttpStatusCode)reported;
            if ((int)status is >= 200 and < 300)
            {
                throw Unreadable(status);
            }

            // The package makes a "code" of 0 when the body was not Twilio's error JSON (a bare 503, a proxy's page).
            return new TwilioResponse(status, null, code == 0 ? null : code, RetryAfter(exchange));
        }
    }

    /// <summary>
    /// Twilio said it created the message but its answer could not be read. The package's error may quote the answer,
    /// and with it the recipient, so it is not passed on; the caller counts the message as in doubt.
    /// </summary>
    private static InvalidDataException Unreadable(HttpStatusCode status) =>
        new($"Twilio's answer to a created message ({(int)status}) could not be read");

    private TimeSpan? RetryAfter(TwilioExchange exchange) =>
        exchange.Headers is { } headers ? RetryAfterHeader.Read(headers, _time.GetUtcNow()) : null;
}
