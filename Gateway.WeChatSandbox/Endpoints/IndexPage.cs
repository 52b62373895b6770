using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Gateway.WeChatSandbox;

/// <summary>
/// <c>{prefix}/sandbox/</c>: a front-end developer's starting point, listing the apps and users and a ready-made
/// consent-page link per web app that returns to a callback the developer types in.
/// </summary>
internal static class IndexPage
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static IResult Render(HttpRequest request, WeChatSandboxState sandbox, string prefix)
    {
        var callback = request.Query["redirect_uri"].FirstOrDefault() is { Length: > 0 } given ? given : "http://127.0.0.1:3000/callback";
        var basePath = $"{request.PathBase}{prefix}";
        var page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>WeChat sandbox</title></head><body>\n")
            .Append("<h1>WeChat sandbox</h1>\n<form method=\"get\"><label>redirect_uri <input name=\"redirect_uri\" size=\"60\" value=\"")
            .Append(Encoder.Encode(callback)).Append("\"></label> <button>Update links</button></form>\n<h2>Apps</h2>\n<ul>\n");
        foreach (var app in sandbox.Apps.Values)
        {
            page.Append("<li><code>").Append(Encoder.Encode(app.AppId)).Append("</code> ").Append(Encoder.Encode(app.Name))
                .Append(" (").Append(app.Kind).Append(app.IsBound ? ", bound" : ", not bound").Append(')');
            var path = app.Kind switch
            {
                SandboxAppKind.OfficialAccount => "/connect/oauth2/authorize",
                SandboxAppKind.Website => "/connect/qrconnect",
                _ => null,
            };
            foreach (var scope in path is null ? [] : WeChatSandboxState.ScopesOf(app.Kind))
            {
                var query = QueryString.Create(new Dictionary<string, string?>
                {
                    ["appid"] = app.AppId, ["redirect_uri"] = callback, ["response_type"] = "code", ["scope"] = scope, ["state"] = "sandbox",
                });
                page.Append(" <a href=\"").Append(Encoder.Encode($"{basePath}{path}{query}#wechat_redirect")).Append("\">")
                    .Append(Encoder.Encode(scope)).Append("</a>");
            }

            page.Append("</li>\n");
        }

        page.Append("</ul>\n<h2>Users</h2>\n<ul>\n");
        foreach (var user in sandbox.Users)
        {
            page.Append("<li><code>").Append(Encoder.Encode(user.Key)).Append("</code> ").Append(Encoder.Encode(user.Nickname))
                .Append(string.IsNullOrEmpty(user.Phone) ? "" : $", phone +{Encoder.Encode(user.CountryCode)} {Encoder.Encode(user.Phone)}")
                .Append(user.Key == sandbox.SnapshotUser ? ", snapshot user" : "").Append("</li>\n");
        }

        page.Append("</ul>\n<p>Identifiers: <a href=\"").Append(Encoder.Encode(basePath)).Append("/sandbox/users\">users</a>, <a href=\"")
            .Append(Encoder.Encode(basePath)).Append("/sandbox/apps\">apps</a>. Mini Program codes and encrypted data: POST ")
            .Append("<code>sandbox/wxlogin</code>, <code>sandbox/user-data</code>, <code>sandbox/phone-code</code> (see docs).</p>\n</body></html>\n");
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }
}
