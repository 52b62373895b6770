using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Extensions;

namespace Gateway.WeChatSandbox;

/// <summary>
/// The HTML a browser sees in place of WeChat's authorization screen: one link per test user
/// (<c>id="user-KEY"</c>) and a refuse link (<c>id="refuse"</c>). Every echoed value is HTML-encoded.
/// </summary>
internal static class ConsentPage
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static IResult Render(AuthorizeRequest request, WeChatSandboxState sandbox, string decisionPath)
    {
        var html = Encoder;
        var page = new StringBuilder(Header("WeChat sandbox: authorize"));
        page.Append("<h1>").Append(html.Encode(request.App.Name)).Append("</h1>\n")
            .Append("<p>appid <code id=\"appid\">").Append(html.Encode(request.App.AppId)).Append("</code>, scope <code id=\"scope\">")
            .Append(html.Encode(request.Scope)).Append("</code>, returning to <code id=\"redirect-uri\">")
            .Append(html.Encode(request.RedirectUri.AbsoluteUri)).Append("</code></p>\n")
            .Append("<p>Sign in to WeChat as:</p>\n<ul>\n");
        foreach (var user in sandbox.Users)
        {
            var link = DecisionLink(decisionPath, request, new("user", user.Key));
            page.Append("<li><a class=\"user\" id=\"user-").Append(html.Encode(user.Key)).Append("\" href=\"").Append(html.Encode(link))
                .Append("\">").Append(html.Encode(user.Nickname)).Append("</a> <small>(").Append(html.Encode(user.Key))
                .Append(user.Key == sandbox.SnapshotUser ? ", snapshot user" : "").Append(")</small></li>\n");
        }

        page.Append("</ul>\n<p><a id=\"refuse\" href=\"").Append(html.Encode(DecisionLink(decisionPath, request, new("refuse", "1"))))
            .Append("\">Refuse</a></p>\n</body></html>\n");
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }

    public static IResult Error(SandboxException error)
    {
        var html = Encoder;
        var page = new StringBuilder(Header("WeChat sandbox: authorization error"))
            .Append("<h1>Authorization error</h1>\n<p id=\"error\" data-code=\"").Append(html.Encode(error.Code)).Append("\">")
            .Append(html.Encode(error.Message)).Append("</p>\n</body></html>\n");
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, error.StatusCode);
    }

    private static string DecisionLink(string decisionPath, AuthorizeRequest request, KeyValuePair<string, string> decision) =>
        decisionPath + QueryString.Create(request.Parameters().Append(decision)!);

    private static string Header(string title) =>
        $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
        $"<title>{title}</title></head><body>\n";
}
