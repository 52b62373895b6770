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
        // The same phone-first shell, Chinese page and sandbox banner as the consent page.
        var page = ConsentPageLayout.Begin("首页").Append("<main class=\"sheet\">\n<h1>微信登录沙箱</h1>\n")
            .Append("<form method=\"get\"><label>回调地址 redirect_uri <input name=\"redirect_uri\" style=\"width:100%\" value=\"")
            .Append(Encoder.Encode(callback)).Append("\"></label> <button>更新链接</button></form>\n<h2>测试应用</h2>\n<ul>\n");
        foreach (var app in sandbox.Apps.Values)
        {
            page.Append("<li><code>").Append(Encoder.Encode(app.AppId)).Append("</code> ").Append(Encoder.Encode(app.Name))
                .Append(" (").Append(app.Kind).Append(app.IsBound ? "，已绑定开放平台" : "，未绑定开放平台").Append(')');
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

        page.Append("</ul>\n<h2>测试用户</h2>\n<ul>\n");
        foreach (var user in sandbox.Users)
        {
            page.Append("<li><code>").Append(Encoder.Encode(user.Key)).Append("</code> ").Append(Encoder.Encode(user.Nickname))
                .Append(string.IsNullOrEmpty(user.Phone) ? "" : $"，手机号 +{Encoder.Encode(user.CountryCode)} {Encoder.Encode(user.Phone)}")
                .Append(user.Key == sandbox.SnapshotUser ? "，快照页虚拟账号" : "").Append("</li>\n");
        }

        page.Append("</ul>\n<p>标识符：<a href=\"").Append(Encoder.Encode(basePath)).Append("/sandbox/users\">用户</a>、<a href=\"")
            .Append(Encoder.Encode(basePath)).Append("/sandbox/apps\">应用</a>。小程序的 code 和加密数据：POST ")
            .Append("<code>sandbox/wxlogin</code>、<code>sandbox/user-data</code>、<code>sandbox/phone-code</code>（见文档）。</p>\n</main>\n")
            .Append(ConsentPageLayout.End());
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }
}
