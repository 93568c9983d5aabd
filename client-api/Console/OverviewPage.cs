using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary><c>/console</c>: the creditor's overview.</summary>
public static class OverviewPage
{
    public static IResult Show(HttpContext context)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        return Html(Page(request, T("Vue d'ensemble", "Overview"), "overview", $"<h1>{T("Vue d'ensemble", "Overview")}</h1>"));
    }
}
