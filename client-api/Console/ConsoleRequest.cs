using Microsoft.AspNetCore.Antiforgery;
using Recouvrement.Users;

namespace Recouvrement.Api.Console;

/// <summary>What a console page needs about its request: who asks, with which role, in which language, for which creditor.</summary>
public sealed class ConsoleRequest(HttpContext http, ConsolePrincipal principal, UserRole? role, string creditorName)
{
    private const string ItemKey = "recouvrement.console.request";
    private string? _antiforgery;

    public HttpContext Http { get; } = http;

    public ConsolePrincipal Principal { get; } = principal;

    /// <summary>The user's role now (null for the operator).</summary>
    public UserRole? Role { get; } = role;

    public string CreditorName { get; } = creditorName;

    /// <summary>The creditor whose data the request sees; the operator picks one by the page's address.</summary>
    public string CreditorId => Principal.CreditorId ?? throw new InvalidOperationException("the operator has no creditor of its own");

    public string Language { get; } = LanguageOf(http);

    public Func<string, string, string> T => ConsoleHtml.Texts(Language);

    public bool CanAct => Role is UserRole.Admin or UserRole.Agent;

    public bool IsAdmin => Role == UserRole.Admin;

    /// <summary>The hidden anti-forgery field every form carries.</summary>
    public string Antiforgery => _antiforgery ??= ConsoleSessions.FormToken(Http);

    public static ConsoleRequest Of(HttpContext context) => (ConsoleRequest)context.Items[ItemKey]!;

    public const string LanguageCookie = "recouvrement-lang";

    /// <summary>English when the person chose it (the language link sets a cookie), or asked with <c>?lang=en</c>; French otherwise.</summary>
    public static string LanguageOf(HttpContext context) =>
        context.Request.Query["lang"].ToString() is "en" or "fr" ? context.Request.Query["lang"].ToString()
        : context.Request.Cookies[LanguageCookie] == "en" ? "en" : "fr";

    internal void Attach() => Http.Items[ItemKey] = this;
}

/// <summary>Who may open a console page.</summary>
public enum ConsoleAccess
{
    /// <summary>Any user of a creditor: viewers read.</summary>
    Viewer,

    /// <summary>Agents and admins: act on cases, import.</summary>
    Agent,

    /// <summary>The creditor's admins: users, keys, policy, settings, webhooks.</summary>
    Admin,

    /// <summary>The operator alone.</summary>
    Operator,
}

/// <summary>
/// Lets a console request through only with a live session allowed to open it (a request without one is sent to the
/// sign-in page; one whose role falls short gets a 403 page), and every form post only with its anti-forgery token.
/// </summary>
public sealed class ConsoleAccessFilter(ConsoleAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (await ConsoleSessions.AuthenticateAsync(http) is not { } session)
        {
            var back = http.Request.Path + http.Request.QueryString;
            return Results.Redirect(HttpMethods.IsGet(http.Request.Method) ? $"/console/signin?returnUrl={Uri.EscapeDataString(back)}" : "/console/signin");
        }

        var (principal, role) = session;
        var allowed = access switch
        {
            ConsoleAccess.Operator => principal.IsOperator,
            _ when principal.IsOperator => false,
            ConsoleAccess.Admin => role == UserRole.Admin,
            ConsoleAccess.Agent => role is UserRole.Admin or UserRole.Agent,
            _ => role is not null,
        };
        var name = principal.IsOperator ? string.Empty
            : (await http.RequestServices.GetRequiredService<IGrainFactory>().Reference<ICreditorGrain>(principal.CreditorId!).GetProfile())?.Name ?? principal.CreditorId!;
        var request = new ConsoleRequest(http, principal, role, name);
        request.Attach();
        if (!allowed)
        {
            var T = request.T;
            return ConsoleHtml.Html(ConsoleHtml.Page(request, T("Accès refusé", "Access denied"), string.Empty,
                $"<h1>{T("Accès refusé", "Access denied")}</h1><p>{T("Votre rôle ne permet pas cette action ou cette page.", "Your role does not allow this action or page.")}</p>" +
                $"<p><a href=\"{(principal.IsOperator ? "/console/operator" : "/console")}\">{T("Retour", "Back")}</a></p>"), StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}

/// <summary>Refuses a console form post without its anti-forgery token (a page from another site cannot post as the user).</summary>
public sealed class ConsoleFormFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                var T = ConsoleHtml.Texts(ConsoleRequest.LanguageOf(http));
                return ConsoleHtml.Html(ConsoleHtml.Bare(ConsoleRequest.LanguageOf(http), T("Formulaire expiré", "Form expired"),
                    $"<h1>{T("Formulaire expiré", "Form expired")}</h1><p>{T("Ce formulaire n'est plus valable. Revenez à la page et recommencez.", "This form is no longer valid. Go back to the page and try again.")}</p>" +
                    "<p><a href=\"/console\">Console</a></p>"), StatusCodes.Status400BadRequest);
            }
        }

        return await next(context);
    }
}
