using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Hosting;
using Recouvrement.Users;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// Signing in and out: the users' page (<c>/console/signin</c>, e-mail and password), the operator's
/// (<c>/console/operator/signin</c>, the operator key), and the invitation page where a user sets a password. Wrong
/// passwords for one address are slowed down (<see cref="SignInThrottle"/>); form posts from one IP address are limited
/// besides (<see cref="ConsoleSignInLimit"/>).
/// </summary>
public static class SignInPages
{
    /// <summary>A hash checked when the address is unknown, so that an unknown address costs the same time as a wrong password.</summary>
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<ConsoleUser>().HashPassword(null!, ConsoleSessions.NewSecret()));

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/signin", ShowSignIn);
        console.MapPost("/signin", SignIn).RequireRateLimiting(ConsoleSignInLimit.Name);
        console.MapGet("/operator/signin", ShowOperatorSignIn);
        console.MapPost("/operator/signin", OperatorSignIn).RequireRateLimiting(ConsoleSignInLimit.Name);
        console.MapGet("/invitation/{token}", ShowInvitation);
        console.MapPost("/invitation/{token}", AcceptInvitation).RequireRateLimiting(ConsoleSignInLimit.Name);
        console.MapPost("/signout", (Delegate)SignOut);
        console.MapGet("/language", Language);
    }

    private static string SignInForm(HttpContext context, string? message, bool error, string? returnUrl)
    {
        var language = ConsoleRequest.LanguageOf(context);
        var T = Texts(language);
        var back = SafeReturn(returnUrl);
        return Bare(language, T("Connexion", "Sign in"),
            $"<h1>{T("Connexion à la console", "Sign in to the console")}</h1>{Notice(message, error)}" +
            $"<form method=\"post\" action=\"/console/signin\" class=\"card\">{ConsoleSessions.FormToken(context)}" +
            (back is null ? string.Empty : $"<input type=\"hidden\" name=\"returnUrl\" value=\"{E(back)}\">") +
            $"<label for=\"email\">{T("Adresse e-mail", "E-mail address")}</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required>" +
            $"<label for=\"password\">{T("Mot de passe", "Password")}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>" +
            $"<button type=\"submit\">{T("Se connecter", "Sign in")}</button></form>" +
            $"<p><a href=\"/console/language?to={(language == "en" ? "fr" : "en")}&amp;back=%2Fconsole%2Fsignin\">{(language == "en" ? "Français" : "English")}</a> · " +
            $"<a href=\"/console/operator/signin\">{T("Accès opérateur", "Operator sign-in")}</a></p>");
    }

    public static IResult ShowSignIn(HttpContext context, string? returnUrl, string? done)
    {
        var T = Texts(ConsoleRequest.LanguageOf(context));
        var message = done switch
        {
            "signedout" => T("Vous êtes déconnecté.", "You are signed out."),
            "password" => T("Votre mot de passe est enregistré : connectez-vous.", "Your password is set: sign in."),
            _ => null,
        };
        return Html(SignInForm(context, message, false, returnUrl));
    }

    public static async Task<IResult> SignIn(HttpContext context, IGrainFactory grains, TimeProvider time, IOptions<ConsoleOptions> options)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var T = Texts(ConsoleRequest.LanguageOf(context));
        var email = form["email"].ToString().Trim().ToLowerInvariant();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (email.Length is 0 or > 254 || password.Length is 0 or > 1024)
        {
            return Html(SignInForm(context, T("Saisissez votre adresse e-mail et votre mot de passe.", "Enter your e-mail address and your password."), true, returnUrl), StatusCodes.Status400BadRequest);
        }

        var now = time.GetUtcNow();
        var account = grains.Reference<IUserAccountGrain>(UserAccounts.Key(email));
        var gate = await account.BeginSignIn(now, options.Value.Throttle);
        if (gate.Wait > TimeSpan.Zero)
        {
            return TooManyAttempts(context, gate.Wait, returnUrl);
        }

        var credentials = gate.Account is { } bound ? await grains.Reference<ICreditorUsersGrain>(bound.CreditorId).Credentials(bound.UserId) : null;
        var hasher = new PasswordHasher<ConsoleUser>();
        var verified = hasher.VerifyHashedPassword(null!, credentials?.PasswordHash ?? DecoyHash.Value, password) != PasswordVerificationResult.Failed
            && credentials?.PasswordHash is not null;
        if (!verified || !await ConsoleSessions.SignInUserAsync(context, gate.Account!, email))
        {
            await account.SignInFailed(now);
            return Html(SignInForm(context, T("Adresse e-mail ou mot de passe incorrect.", "Wrong e-mail address or password."), true, returnUrl), StatusCodes.Status401Unauthorized);
        }

        await account.SignInSucceeded();
        return Results.Redirect(SafeReturn(returnUrl) ?? "/console");
    }

    private static IResult TooManyAttempts(HttpContext context, TimeSpan wait, string? returnUrl)
    {
        var T = Texts(ConsoleRequest.LanguageOf(context));
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return Html(SignInForm(context,
            T($"Trop de tentatives pour cette adresse : réessayez dans {minutes} min.", $"Too many attempts for this address: try again in {minutes} min."), true, returnUrl),
            StatusCodes.Status429TooManyRequests);
    }

    /// <summary>Only a path of the console itself: never another site (an open redirect), never a scheme-relative <c>//host</c>.</summary>
    public static string? SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 and < 2000 } url && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.StartsWith("/console/signin", StringComparison.Ordinal)
            ? url
            : null;

    private static string OperatorForm(HttpContext context, string? message)
    {
        var language = ConsoleRequest.LanguageOf(context);
        var T = Texts(language);
        return Bare(language, T("Accès opérateur", "Operator sign-in"),
            $"<h1>{T("Accès opérateur", "Operator sign-in")}</h1>{Notice(message, message is not null)}" +
            $"<form method=\"post\" action=\"/console/operator/signin\" class=\"card\">{ConsoleSessions.FormToken(context)}" +
            $"<label for=\"key\">{T("Clé opérateur", "Operator key")} (Recouvrement:OperatorKey)</label><input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required>" +
            $"<button type=\"submit\">{T("Se connecter", "Sign in")}</button></form><p><a href=\"/console/signin\">{T("Connexion utilisateur", "User sign-in")}</a></p>");
    }

    public static IResult ShowOperatorSignIn(HttpContext context) => Html(OperatorForm(context, null));

    public static async Task<IResult> OperatorSignIn(HttpContext context, IConfiguration configuration, IGrainFactory grains, TimeProvider time, IOptions<ConsoleOptions> options)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var now = time.GetUtcNow();
        var account = grains.Reference<IUserAccountGrain>(UserAccounts.Key("operator"));
        var gate = await account.BeginSignIn(now, options.Value.Throttle);
        var T = Texts(ConsoleRequest.LanguageOf(context));
        if (gate.Wait > TimeSpan.Zero)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(gate.Wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Html(OperatorForm(context, T("Trop de tentatives : patientez.", "Too many attempts: wait.")), StatusCodes.Status429TooManyRequests);
        }

        if (!ApiKeys.IsOperatorKey(configuration, form["key"].ToString()))
        {
            await account.SignInFailed(now);
            return Html(OperatorForm(context, T("Clé incorrecte.", "Wrong key.")), StatusCodes.Status401Unauthorized);
        }

        await account.SignInSucceeded();
        await ConsoleSessions.SignInOperatorAsync(context);
        return Results.Redirect("/console/operator");
    }

    public static async Task<IResult> SignOut(HttpContext context)
    {
        if (await ConsoleSessions.AuthenticateAsync(context) is { } session)
        {
            await ConsoleSessions.SignOutAsync(context, session.Principal);
        }

        return Results.Redirect("/console/signin?done=signedout");
    }

    /// <summary>Switches the console's language (a cookie) and goes back to the page.</summary>
    public static IResult Language(HttpContext context, string? to, string? back)
    {
        context.Response.Cookies.Append(ConsoleRequest.LanguageCookie, to == "en" ? "en" : "fr", new CookieOptions
        {
            HttpOnly = true, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/console", MaxAge = TimeSpan.FromDays(365),
        });
        return Results.Redirect(back is { } path && path.StartsWith("/console", StringComparison.Ordinal) && !path.StartsWith("//", StringComparison.Ordinal) ? path : "/console");
    }

    /// <summary>
    /// An invitation token: <c>base64url("{creditorId}/invitation")</c>, a dot, then 43 characters of a random secret. Shaped
    /// like a payment link's token, so that logs and traces redact it the same way. The grain holds its SHA-256 only.
    /// </summary>
    public static string NewInvitationToken(string creditorId) =>
        $"{ConsoleSessions.Base64Url(Encoding.UTF8.GetBytes($"{creditorId}/invitation"))}.{ConsoleSessions.NewSecret()}";

    /// <summary>The creditor an invitation token names, or null for a token of another shape.</summary>
    public static string? ReadInvitationToken(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || token.Length > 400)
        {
            return null;
        }

        try
        {
            var head = token[..dot].Replace('-', '+').Replace('_', '/');
            head += (head.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(head)).Split('/');
            return parts is [{ Length: > 0 } creditor, "invitation"] ? creditor : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string InvitationForm(HttpContext context, string token, ConsoleUser user, string creditorName, string? message)
    {
        var language = ConsoleRequest.LanguageOf(context);
        var T = Texts(language);
        var minimum = context.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.MinPasswordLength;
        return Bare(language, T("Invitation", "Invitation"),
            $"<h1>{T("Bienvenue", "Welcome")}</h1><p>{T("Vous êtes invité à la console de", "You are invited to the console of")} <strong>{E(creditorName)}</strong> " +
            $"{T("en tant que", "as")} {RoleName(user.Role, T)} ({E(user.Email)}).</p>{Notice(message, true)}" +
            $"<form method=\"post\" action=\"/console/invitation/{E(token)}\" class=\"card\">{ConsoleSessions.FormToken(context)}" +
            $"<label for=\"password\">{T("Choisissez un mot de passe", "Choose a password")}</label>" +
            $"<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"{minimum}\" required aria-describedby=\"rule\">" +
            $"<p id=\"rule\" class=\"muted\">{T($"Au moins {minimum} caractères.", $"At least {minimum} characters.")}</p>" +
            $"<label for=\"confirm\">{T("Confirmez le mot de passe", "Confirm the password")}</label><input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required>" +
            $"<button type=\"submit\">{T("Enregistrer le mot de passe", "Set the password")}</button></form>");
    }

    private static IResult InvalidInvitation(HttpContext context)
    {
        var language = ConsoleRequest.LanguageOf(context);
        var T = Texts(language);
        return Html(Bare(language, T("Lien non valable", "Link not valid"),
            $"<h1>{T("Ce lien d'invitation n'est pas valable", "This invitation link is not valid")}</h1>" +
            $"<p>{T("Il a peut-être expiré, déjà servi ou été remplacé par une nouvelle invitation. Demandez-en une nouvelle à votre administrateur.", "It may have expired, been used already or been replaced by a newer invitation. Ask your administrator for a new one.")}</p>" +
            "<p><a href=\"/console/signin\">Console</a></p>"), StatusCodes.Status404NotFound);
    }

    private static async Task<(ConsoleUser User, string CreditorName, string CreditorId)?> Invitation(string token, IGrainFactory grains, DateTimeOffset now)
    {
        if (ReadInvitationToken(token) is not { } creditorId)
        {
            return null;
        }

        var user = await grains.Reference<ICreditorUsersGrain>(creditorId).FindInvitation(ConsoleSessions.Hash(token), now);
        return user is null ? null : (user, (await grains.Reference<ICreditorGrain>(creditorId).GetProfile())?.Name ?? creditorId, creditorId);
    }

    public static async Task<IResult> ShowInvitation(HttpContext context, string token, IGrainFactory grains, TimeProvider time)
    {
        NoReferrer(context);
        return await Invitation(token, grains, time.GetUtcNow()) is var (user, name, _) ? Html(InvitationForm(context, token, user, name, null)) : InvalidInvitation(context);
    }

    public static async Task<IResult> AcceptInvitation(HttpContext context, string token, IGrainFactory grains, TimeProvider time, IOptions<ConsoleOptions> options)
    {
        NoReferrer(context);
        var now = time.GetUtcNow();
        if (await Invitation(token, grains, now) is not var (user, name, creditorId))
        {
            return InvalidInvitation(context);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var password = form["password"].ToString();
        var T = Texts(ConsoleRequest.LanguageOf(context));
        var minimum = options.Value.MinPasswordLength;
        var problem = password.Length < minimum ? T($"Le mot de passe doit compter au moins {minimum} caractères.", $"The password must have at least {minimum} characters.")
            : password.Length > 128 ? T("Le mot de passe compte au plus 128 caractères.", "The password has at most 128 characters.")
            : password != form["confirm"].ToString() ? T("Les deux mots de passe diffèrent.", "The two passwords differ.")
            : string.Equals(password, user.Email, StringComparison.OrdinalIgnoreCase) ? T("Le mot de passe ne peut pas être votre adresse e-mail.", "The password cannot be your e-mail address.")
            : null;
        if (problem is not null)
        {
            return Html(InvitationForm(context, token, user, name, problem), StatusCodes.Status400BadRequest);
        }

        var hash = new PasswordHasher<ConsoleUser>().HashPassword(user, password);
        if (await grains.Reference<ICreditorUsersGrain>(creditorId).AcceptInvitation(ConsoleSessions.Hash(token), hash, now) is null)
        {
            return InvalidInvitation(context);
        }

        return Results.Redirect("/console/signin?done=password");
    }

    /// <summary>The invitation page's address holds its secret: no other site receives it as a referrer.</summary>
    private static void NoReferrer(HttpContext context) => context.Response.Headers["Referrer-Policy"] = "no-referrer";
}

/// <summary>Limits the sign-in, operator sign-in and invitation form posts per client IP address (<see cref="ConsoleOptions.SignInAttempts"/> per window).</summary>
public sealed class ConsoleSignInLimit(IOptions<ConsoleOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "console-sign-in";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        RateLimiting.SetRetryAfter(context);
        var language = ConsoleRequest.LanguageOf(context.HttpContext);
        var T = Texts(language);
        context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
        await context.HttpContext.Response.WriteAsync(Bare(language, T("Trop de tentatives", "Too many attempts"),
            $"<h1>{T("Trop de tentatives", "Too many attempts")}</h1><p>{T("Trop de tentatives depuis cette adresse. Patientez un moment, puis réessayez.", "Too many attempts from this address. Wait a moment, then try again.")}</p>" +
            "<p><a href=\"/console/signin\">Console</a></p>"), Encoding.UTF8, cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(RateLimiting.ClientAddress(httpContext), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInAttempts,
            Window = options.Value.SignInWindow,
            QueueLimit = 0,
        });
}
