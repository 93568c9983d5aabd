using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary><c>/console/operator</c>: the operator's console.</summary>
public static class OperatorPages
{
    public static IResult Home(HttpContext context)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        return Html(Page(request, T("Créanciers", "Creditors"), "operator", $"<h1>{T("Créanciers", "Creditors")}</h1>"));
    }
}
