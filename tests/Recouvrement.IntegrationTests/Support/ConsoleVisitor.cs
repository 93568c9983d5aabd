using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Recouvrement.Tests.Support;

/// <summary>
/// Someone using the console with a plain HTTP client, as a browser would: keeps its cookies, follows no redirect by
/// itself (tests look at each one), and posts each form with the anti-forgery token of the page it came from.
/// </summary>
public sealed partial class ConsoleVisitor : IDisposable
{
    private readonly HttpClient client;

    public ConsoleVisitor(Uri baseAddress)
    {
        client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(1),
        };
    }

    public CookieContainer Cookies { get; } = new();

    public Task<HttpResponseMessage> Get(string path) => client.GetAsync(path);

    public async Task<string> Page(string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {response.Headers.Location}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form of <paramref name="page"/> (its anti-forgery token added) to <paramref name="action"/>.</summary>
    public Task<HttpResponseMessage> Post(string page, string action, params (string Name, string Value)[] fields)
    {
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "the page carries an anti-forgery field");
        return client.PostAsync(action, new FormUrlEncodedContent([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), KeyValuePair.Create("__rc_af", WebUtility.HtmlDecode(token.Groups[1].Value))]));
    }

    /// <summary>Posts a form without any anti-forgery token, as another site's page would.</summary>
    public Task<HttpResponseMessage> PostWithoutToken(string action, params (string Name, string Value)[] fields) =>
        client.PostAsync(action, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    /// <summary>Sets a password from an invitation link and signs in with it; the console's overview answers.</summary>
    public async Task SetPasswordAndSignIn(string invitationUrl, string email, string password)
    {
        var path = new Uri(invitationUrl).PathAndQuery;
        var invitation = await Page(path);
        var accepted = await Post(invitation, path, ("password", password), ("confirm", password));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        await SignIn(email, password);
    }

    public async Task SignIn(string email, string password)
    {
        var form = await Page("/console/signin");
        var signedIn = await Post(form, "/console/signin", ("email", email), ("password", password));
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)signedIn.StatusCode}");
        Assert.Equal("/console", signedIn.Headers.Location!.OriginalString);
    }

    /// <summary>The operator invites <paramref name="email"/> to <paramref name="creditorId"/>; the invitation link.</summary>
    public static async Task<string> Invite(HttpClient operatorClient, string creditorId, string email, string role)
    {
        var response = await operatorClient.PostAsJsonAsync($"/api/v1/admin/creditors/{creditorId}/users", new { email, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["invitationUrl"]!.GetValue<string>();
    }

    [GeneratedRegex("name=\"__rc_af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public void Dispose() => client.Dispose();
}
