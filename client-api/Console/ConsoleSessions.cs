using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Recouvrement.Users;

namespace Recouvrement.Api.Console;

/// <summary>Who a console request comes from: a creditor's user, or the operator. Read from the session cookie.</summary>
public sealed record ConsolePrincipal(string SessionId, string? CreditorId, string? UserId, string? Email, bool IsOperator)
{
    private const string SessionClaim = "rc:sid";
    private const string CreditorClaim = "rc:cid";
    private const string UserClaim = "rc:uid";
    private const string OperatorClaim = "rc:op";

    public ClaimsPrincipal ToClaims()
    {
        var claims = new List<Claim> { new(SessionClaim, SessionId) };
        if (IsOperator)
        {
            claims.Add(new(OperatorClaim, "1"));
        }
        else
        {
            claims.Add(new(CreditorClaim, CreditorId!));
            claims.Add(new(UserClaim, UserId!));
            claims.Add(new(ClaimTypes.Email, Email!));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, ConsoleSessions.Scheme));
    }

    public static ConsolePrincipal? From(ClaimsPrincipal? principal)
    {
        if (principal?.FindFirst(SessionClaim)?.Value is not { } session)
        {
            return null;
        }

        if (principal.FindFirst(OperatorClaim) is not null)
        {
            return new ConsolePrincipal(session, null, null, null, true);
        }

        return principal.FindFirst(CreditorClaim)?.Value is { } creditor && principal.FindFirst(UserClaim)?.Value is { } user
            ? new ConsolePrincipal(session, creditor, user, principal.FindFirst(ClaimTypes.Email)?.Value, false)
            : null;
    }
}

/// <summary>
/// The console's sessions: an encrypted cookie (<c>__Host-</c>, Secure, HttpOnly, SameSite=Strict) whose expiry slides
/// with each request, naming a session the user's grain (or the operator's) holds as a hash. Every request checks that
/// session with its grain, so a sign-out, a removed user or a changed role takes effect at once on every process; the
/// session also ends <see cref="ConsoleOptions.SessionLifetime"/> after its sign-in, however active.
/// </summary>
public static class ConsoleSessions
{
    public const string Scheme = "recouvrement-console";
    public const string CookieName = "__Host-recouvrement-console";
    public const string AntiforgeryCookieName = "__Host-recouvrement-af";

    /// <summary>The cookies' names over plain HTTP (<see cref="ConsoleOptions.RequireHttps"/> off): a <c>__Host-</c> cookie must be Secure.</summary>
    public const string PlainCookieName = "recouvrement-console";
    public const string PlainAntiforgeryCookieName = "recouvrement-af";
    public const string AntiforgeryField = "__rc_af";
    private const string RoleItem = "recouvrement.console.role";

    public static IServiceCollection AddConsoleSessions(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.Path = "/";
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = ValidateAsync;
            // The console's filter says what to do without a session (a redirect to the sign-in page); the handler never redirects.
            options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<ConsoleOptions>>((cookie, console) =>
        {
            cookie.ExpireTimeSpan = console.Value.IdleTimeout;
            cookie.Cookie.Name = console.Value.RequireHttps ? CookieName : PlainCookieName;
            cookie.Cookie.SecurePolicy = console.Value.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.Path = "/";
            options.FormFieldName = AntiforgeryField;
            options.HeaderName = null;
        });
        services.AddOptions<AntiforgeryOptions>().Configure<IOptions<ConsoleOptions>>((antiforgery, console) =>
        {
            antiforgery.Cookie.Name = console.Value.RequireHttps ? AntiforgeryCookieName : PlainAntiforgeryCookieName;
            antiforgery.Cookie.SecurePolicy = console.Value.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// <summary>Keeps the cookie only while its session is live in its grain; records the user's current role for the request.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var principal = ConsolePrincipal.From(context.Principal);
        var live = false;
        if (principal is { IsOperator: true })
        {
            live = await grains.Reference<IOperatorSessionsGrain>(IOperatorSessionsGrain.SingletonKey).Check(Hash(principal.SessionId), now);
        }
        else if (principal is { CreditorId: { } creditor, UserId: { } user })
        {
            var role = await grains.Reference<ICreditorUsersGrain>(creditor).CheckSession(user, Hash(principal.SessionId), now);
            http.Items[RoleItem] = role;
            live = role is not null;
        }

        if (!live)
        {
            context.RejectPrincipal();
            await http.SignOutAsync(Scheme);
        }
    }

    /// <summary>The live session of the request, with the user's current role (null for the operator); null when there is none.</summary>
    public static async Task<(ConsolePrincipal Principal, UserRole? Role)?> AuthenticateAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (!result.Succeeded || ConsolePrincipal.From(result.Principal) is not { } principal)
        {
            return null;
        }

        return (principal, principal.IsOperator ? null : context.Items[RoleItem] as UserRole?);
    }

    /// <summary>Opens a user's session after a good password; false when the user cannot sign in (removed meanwhile).</summary>
    public static async Task<bool> SignInUserAsync(HttpContext context, UserAccount account, string email)
    {
        var (grains, options, now) = Services(context);
        var session = NewSecret();
        if (await grains.Reference<ICreditorUsersGrain>(account.CreditorId).StartSession(account.UserId, Hash(session), now, now + options.SessionLifetime) is null)
        {
            return false;
        }

        await context.SignInAsync(Scheme, new ConsolePrincipal(session, account.CreditorId, account.UserId, email, false).ToClaims());
        return true;
    }

    public static async Task SignInOperatorAsync(HttpContext context)
    {
        var (grains, options, now) = Services(context);
        var session = NewSecret();
        await grains.Reference<IOperatorSessionsGrain>(IOperatorSessionsGrain.SingletonKey).Start(Hash(session), now, now + options.SessionLifetime);
        await context.SignInAsync(Scheme, new ConsolePrincipal(session, null, null, null, true).ToClaims());
    }

    /// <summary>Ends the session in its grain (so a copy of the cookie opens nothing any more) and clears the cookie.</summary>
    public static async Task SignOutAsync(HttpContext context, ConsolePrincipal principal)
    {
        var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
        if (principal.IsOperator)
        {
            await grains.Reference<IOperatorSessionsGrain>(IOperatorSessionsGrain.SingletonKey).End(Hash(principal.SessionId));
        }
        else
        {
            await grains.Reference<ICreditorUsersGrain>(principal.CreditorId!).EndSession(principal.UserId!, Hash(principal.SessionId));
        }

        await context.SignOutAsync(Scheme);
    }

    /// <summary>The hidden field of every form: the anti-forgery token (its cookie is set with it).</summary>
    public static string FormToken(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{ConsoleHtml.E(tokens.RequestToken)}\">";
    }

    /// <summary>A random secret: 32 bytes, base64url (43 characters).</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static (IGrainFactory Grains, ConsoleOptions Options, DateTimeOffset Now) Services(HttpContext context) => (
        context.RequestServices.GetRequiredService<IGrainFactory>(),
        context.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value,
        context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
}
