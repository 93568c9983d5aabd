using System.Net;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Console;

/// <summary>
/// The engine behind a reverse proxy that ends TLS, told so with ASP.NET Core's own switch
/// (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>, here as the setting it becomes): the console, which opens over
/// HTTPS only, takes the proxy's <c>X-Forwarded-Proto: https</c> for the request's scheme and sets its Secure cookies.
/// </summary>
public sealed class ConsoleBehindProxyTests(ConsoleBehindProxyTests.ProxiedHost host) : IClassFixture<ConsoleBehindProxyTests.ProxiedHost>
{
    /// <summary>The default console (HTTPS only) with forwarded headers on.</summary>
    public sealed class ProxiedHost : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs => ["--FORWARDEDHEADERS_ENABLED=true"];
    }

    [Fact]
    public async Task A_request_the_proxy_received_over_https_opens_the_console_and_a_plain_one_does_not()
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        var plain = await http.GetAsync("/console/signin");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/console/signin");
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var response = await http.SendAsync(proxied);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("__Host-", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
