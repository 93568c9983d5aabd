using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Console;

/// <summary>A console host over plain HTTP on loopback, with a small sign-in allowance so that slowing down shows quickly.</summary>
public class ConsoleHost : EngineHost
{
    /// <summary>The host's database (null: in memory).</summary>
    protected virtual string? ConnectionString => null;

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--Recouvrement:Console:RequireHttps=false",
        "--Recouvrement:Console:FreeSignInFailures=3",
        "--Recouvrement:Console:SignInAttempts=1000",
        "--Recouvrement:Agency:Name=Agence Recouvrement Test",
        "--Recouvrement:Agency:Address=12 rue de la Bourse, 69002 Lyon",
        .. ConnectionString is { } database ? DurableArgs(database) : [],
    ];

    /// <summary>Onboards a creditor (with a commission rate when given); its id and API key.</summary>
    public async Task<(string Id, string Key)> OnboardAsync(string name, decimal? commissionRate = null)
    {
        using var operatorClient = Client(OperatorKey);
        var id = "con-" + Guid.NewGuid().ToString("N")[..10];
        var response = await operatorClient.PostAsJsonAsync("/api/v1/admin/creditors", new { id, name, commissionRate });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (id, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["apiKey"]!.GetValue<string>());
    }

    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    /// <summary>The password the invited users of <see cref="SignedInAsync"/> set.</summary>
    public const string UserPassword = "correct horse battery";

    /// <summary>A user of <paramref name="creditor"/> with <paramref name="role"/>, invited by the operator and signed in.</summary>
    public async Task<ConsoleVisitor> SignedInAsync(string creditor, string role)
    {
        using var operatorClient = Client(OperatorKey);
        var email = NewEmail(role);
        var link = await ConsoleVisitor.Invite(operatorClient, creditor, email, role);
        var visitor = new ConsoleVisitor(BaseAddress);
        await visitor.SetPasswordAndSignIn(link, email, UserPassword);
        return visitor;
    }
}

/// <summary>The console host on a fresh PostgreSQL database of its own.</summary>
public sealed class DurableConsoleHost : ConsoleHost
{
    private PostgresDatabase? database;

    protected override string? ConnectionString => database!.ConnectionString;

    public override async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await database!.DisposeAsync();
    }
}

/// <summary>Users of a creditor's console: invited by the operator, they set a password once and sign in with a cookie session.</summary>
public sealed class ConsoleUsersTests(ConsoleHost host) : IClassFixture<ConsoleHost>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task An_invited_user_sets_a_password_signs_in_and_signing_out_ends_the_session_even_for_a_copy_of_the_cookie()
    {
        var (creditor, _) = await host.OnboardAsync("Laboratoire Pasteur Lyon");
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var email = ConsoleHost.NewEmail("agent");
        var invited = await operatorClient.PostAsJsonAsync($"/api/v1/admin/creditors/{creditor}/users", new { email, role = "agent" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var body = JsonNode.Parse(await invited.Content.ReadAsStringAsync())!;
        Assert.Equal("agent", body["role"]!.GetValue<string>());
        Assert.Equal("invited", body["status"]!.GetValue<string>());
        var link = body["invitationUrl"]!.GetValue<string>();
        Assert.Matches("/console/invitation/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$", link);

        using var visitor = new ConsoleVisitor(host.BaseAddress);
        var path = new Uri(link).AbsolutePath;
        var page = await visitor.Page(path);
        Assert.Contains("Laboratoire Pasteur Lyon", page);
        var differ = await visitor.Post(page, path, ("password", Password), ("confirm", Password + "!"));
        Assert.Equal(HttpStatusCode.BadRequest, differ.StatusCode);
        var set = await visitor.Post(page, path, ("password", Password), ("confirm", Password));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Get(path)).StatusCode);

        var listed = JsonNode.Parse(await operatorClient.GetStringAsync($"/api/v1/admin/creditors/{creditor}/users"))!["items"]!.AsArray();
        Assert.Equal("active", Assert.Single(listed)!["status"]!.GetValue<string>());
        Assert.DoesNotContain("password", listed.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var signInPage = await visitor.Page("/console/signin");
        var wrong = await visitor.Post(signInPage, "/console/signin", ("email", email), ("password", "not the password"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var signedIn = await visitor.Post(signInPage, "/console/signin", ("email", email.ToUpperInvariant()), ("password", Password));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("recouvrement-console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var overview = await visitor.Page("/console");
        Assert.Contains("Laboratoire Pasteur Lyon", overview);
        Assert.Contains(email, overview);
        var copy = visitor.Cookies.GetCookieHeader(host.BaseAddress);

        var signedOut = await visitor.Post(overview, "/console/signout");
        Assert.Equal("/console/signin?done=signedout", signedOut.Headers.Location!.OriginalString);
        Assert.StartsWith("/console/signin", (await visitor.Get("/console")).Headers.Location!.OriginalString);

        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console");
        request.Headers.Add("Cookie", copy);
        var replayed = await replay.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/console/signin", replayed.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        var (creditor, _) = await host.OnboardAsync("Laboratoire sans jeton");
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var email = ConsoleHost.NewEmail("viewer");
        var link = await ConsoleVisitor.Invite(operatorClient, creditor, email, "viewer");
        using var visitor = new ConsoleVisitor(host.BaseAddress);
        await visitor.Page("/console/signin");

        var path = new Uri(link).AbsolutePath;
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.PostWithoutToken(path, ("password", Password), ("confirm", Password))).StatusCode);
        await visitor.SetPasswordAndSignIn(link, email, Password);
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.PostWithoutToken("/console/signout")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Get("/console")).StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_beyond_the_free_ones_make_the_address_wait_even_with_the_right_password()
    {
        var (creditor, _) = await host.OnboardAsync("Laboratoire patient");
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var email = ConsoleHost.NewEmail("admin");
        var link = await ConsoleVisitor.Invite(operatorClient, creditor, email, "admin");
        using var visitor = new ConsoleVisitor(host.BaseAddress);
        var path = new Uri(link).AbsolutePath;
        var page = await visitor.Page(path);
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Post(page, path, ("password", Password), ("confirm", Password))).StatusCode);

        var form = await visitor.Page("/console/signin");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await visitor.Post(form, "/console/signin", ("email", email), ("password", "guess " + i))).StatusCode);
        }

        var slowed = await visitor.Post(form, "/console/signin", ("email", email), ("password", Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
        Assert.InRange(int.Parse(slowed.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 30);

        // Another address is not slowed down by this one's failures.
        var otherEmail = ConsoleHost.NewEmail("other");
        var other = await ConsoleVisitor.Invite(operatorClient, creditor, otherEmail, "viewer");
        using var someoneElse = new ConsoleVisitor(host.BaseAddress);
        await someoneElse.SetPasswordAndSignIn(other, otherEmail, Password);
    }

    [Fact]
    public async Task An_address_signs_in_to_one_creditor_and_bad_invitations_get_field_errors()
    {
        var (first, _) = await host.OnboardAsync("Premier laboratoire");
        var (second, _) = await host.OnboardAsync("Second laboratoire");
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var email = ConsoleHost.NewEmail("shared");
        await ConsoleVisitor.Invite(operatorClient, first, email, "viewer");

        var elsewhere = await operatorClient.PostAsJsonAsync($"/api/v1/admin/creditors/{second}/users", new { email, role = "viewer" });
        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        var bad = await operatorClient.PostAsJsonAsync($"/api/v1/admin/creditors/{first}/users", new { email = "not an address", role = "boss" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var unknown = await operatorClient.PostAsJsonAsync("/api/v1/admin/creditors/nobody-here/users", new { email, role = "viewer" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var creditorClient = host.Client(EngineHost.DemoKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await creditorClient.PostAsJsonAsync($"/api/v1/admin/creditors/{first}/users", new { email, role = "viewer" })).StatusCode);
    }
}
