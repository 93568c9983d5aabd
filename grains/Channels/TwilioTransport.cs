using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Twilio.Constant;
using Twilio.Http;
using NetHttpClient = System.Net.Http.HttpClient;
using NetHttpMethod = System.Net.Http.HttpMethod;
using Request = Twilio.Http.Request;

namespace Recouvrement.Channels;

/// <summary>What one call through <see cref="TwilioTransport"/> needs and what it got back besides the body.</summary>
internal sealed class TwilioExchange(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public HttpStatusCode? Status { get; set; }

    public HttpResponseHeaders? Headers { get; set; }
}

/// <summary>
/// The Twilio package's transport (its abstract <see cref="Twilio.Http.HttpClient"/>, the way the package lets a caller
/// supply the HTTP client) over our own <see cref="NetHttpClient"/>: the package builds each request and reads each
/// answer, this sends it. It differs from the package's <see cref="SystemNetHttpClient"/> in three ways. Requests go to
/// <see cref="ProviderOptions.BaseUrl"/>, path kept: the package writes <c>https://api.twilio.com</c> into every request
/// and has no setting for another host. The status and headers of each answer, and the caller's cancellation, travel
/// with the call (<see cref="Begin"/>): the package's <c>ApiException</c> carries neither Retry-After nor, when the body
/// was not Twilio's error JSON, the status, and its calls take no cancellation token. And the credentials and user agent
/// are encoded once, the body read straight into a string: <see cref="SystemNetHttpClient"/> did both for every request,
/// 6.9 KB more per SMS (docs/benchmarks.md).
/// </summary>
internal sealed class TwilioTransport(NetHttpClient http, string baseUrl) : Twilio.Http.HttpClient
{
    private const string TwilioApi = "https://api.twilio.com";
    private static readonly AsyncLocal<TwilioExchange?> Current = new();
    private static readonly string UserAgent =
        $"twilio-csharp/{typeof(Twilio.TwilioClient).Assembly.GetName().Version?.ToString(3)} ({RuntimeInformation.OSDescription}) {RuntimeInformation.FrameworkDescription}";

    /// <summary>The configured address, or null for Twilio's own, where the package's URL (with any region or edge) stands.</summary>
    private readonly string? _baseUrl = string.Equals(baseUrl.TrimEnd('/'), TwilioApi, StringComparison.OrdinalIgnoreCase) ? null : baseUrl.TrimEnd('/');
    private Credentials? _credentials;

    /// <summary>Starts a call from the calling flow: the next request it makes is sent with this token and its answer kept here.</summary>
    public static TwilioExchange Begin(CancellationToken cancellationToken)
    {
        var exchange = new TwilioExchange(cancellationToken);
        Current.Value = exchange;
        return exchange;
    }

    public override Response MakeRequest(Request request) =>
        throw new NotSupportedException("Twilio is called asynchronously only");

    public override async Task<Response> MakeRequestAsync(Request request)
    {
        var exchange = Current.Value;
        using var message = new HttpRequestMessage(NetHttpMethod.Parse(request.Method.ToString()), Url(request));
        if (request.Username is not null && request.Password is not null)
        {
            message.Headers.Authorization = Authorization(request.Username, request.Password);
        }
        else if (request.AuthStrategy is { } strategy && strategy.RequiresAuthentication())
        {
            message.Headers.TryAddWithoutValidation("Authorization", strategy.GetAuthString());
        }

        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        message.Headers.TryAddWithoutValidation("User-Agent", request.UserAgentExtensions is { Length: > 0 } extensions ? $"{UserAgent} {string.Join(' ', extensions)}" : UserAgent);
        foreach (var (name, value) in request.HeaderParams)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (!Equals(request.Method, Twilio.Http.HttpMethod.Get))
        {
            message.Content = Equals(request.ContentType, EnumConstants.ContentTypeEnum.JSON)
                ? new StringContent(request.Body ?? string.Empty, Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent(request.PostParams);
        }

        var cancellationToken = exchange?.CancellationToken ?? CancellationToken.None;
        using var response = await http.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (exchange is not null)
        {
            exchange.Status = response.StatusCode;
            exchange.Headers = response.Headers;
        }

        return new Response(response.StatusCode, body, response.Headers);
    }

    private string Url(Request request)
    {
        if (_baseUrl is null)
        {
            return request.ConstructUrl().AbsoluteUri;
        }

        var path = request.QueryParams.Count == 0 ? request.Uri.PathAndQuery : request.ConstructUrl().PathAndQuery;
        return _baseUrl + path;
    }

    /// <summary>The Basic header, encoded once: the package hands the same account SID and token with every request.</summary>
    private AuthenticationHeaderValue Authorization(string username, string password)
    {
        var credentials = _credentials;
        if (credentials is null || credentials.Username != username || credentials.Password != password)
        {
            credentials = new Credentials(username, password, new AuthenticationHeaderValue("Basic", Authentication(username, password)));
            _credentials = credentials;
        }

        return credentials.Header;
    }

    private sealed record Credentials(string Username, string Password, AuthenticationHeaderValue Header);
}
