using System.Text;
using static Gateway.WeChatSandbox.ConsentPageLayout;

namespace Gateway.WeChatSandbox;

/// <summary>
/// The page a browser sees in place of WeChat's authorization sheet: the app, the requested scope in WeChat's words,
/// the test users as accounts and 拒绝 / 允许. Every account row (<c>id="user-KEY"</c>) is a link that agrees as that
/// user, so one tap picks the account; 允许 (<c>id="allow"</c>) agrees as the first, pre-selected one and 拒绝
/// (<c>id="refuse"</c>) refuses. Every echoed value is HTML-encoded.
/// </summary>
internal static class ConsentPage
{
    /// <summary>What the sheet says for a scope: the heading, the permissions in WeChat's words, and a sandbox note.</summary>
    private sealed record ScopeWording(string Heading, string Permission, string Note);

    public static IResult Render(AuthorizeRequest request, WeChatSandboxState sandbox, string decisionPath)
    {
        var wording = WordingOf(request.Scope);
        var page = Begin(request.Scope == "snsapi_login" ? "微信登录" : "微信授权")
            .Append("<main class=\"sheet\" data-scope=\"").Append(Html.Encode(request.Scope)).Append("\">\n")
            .Append("<header class=\"app\">").Append(AppIcon(request.App))
            .Append("<h1 id=\"app-name\">").Append(Html.Encode(request.App.Name)).Append("</h1></header>\n")
            .Append("<h2 id=\"scope-heading\">").Append(wording.Heading).Append("</h2>\n")
            .Append("<ul class=\"scope\"><li id=\"scope-text\">").Append(wording.Permission).Append("</li></ul>\n")
            .Append("<p class=\"note\" id=\"scope-note\">").Append(wording.Note).Append("</p>\n");
        AppendAccounts(page, request, sandbox, decisionPath);
        AppendActions(page, request, sandbox, decisionPath);
        page.Append("<details class=\"request\"><summary>请求参数</summary><dl>")
            .Append("<dt>appid</dt><dd><code id=\"appid\">").Append(Html.Encode(request.App.AppId)).Append("</code></dd>")
            .Append("<dt>scope</dt><dd><code id=\"scope\">").Append(Html.Encode(request.Scope)).Append("</code></dd>")
            .Append("<dt>redirect_uri</dt><dd><code id=\"redirect-uri\">").Append(Html.Encode(request.RedirectUri.AbsoluteUri))
            .Append("</code></dd></dl></details>\n</main>\n").Append(End());
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }

    public static IResult Error(SandboxException error)
    {
        var page = Begin("授权请求有误")
            .Append("<main class=\"sheet error\">\n<h2>授权请求有误</h2>\n")
            .Append("<p class=\"note\">这个授权链接的参数不符合微信的要求，真实微信同样会拒绝它。请检查发起授权的代码。</p>\n")
            .Append("<p id=\"error\" data-code=\"").Append(Html.Encode(error.Code)).Append("\">").Append(Html.Encode(error.Message))
            .Append("</p>\n<p class=\"note\">错误代码 <code>").Append(Html.Encode(error.Code)).Append("</code></p>\n</main>\n").Append(End());
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, error.StatusCode);
    }

    private static string AppIcon(SandboxApp app) => string.IsNullOrEmpty(app.Icon)
        ? Placeholder(app.Name, app.AppId, 36)
        : $"<img src=\"{Html.Encode(app.Icon)}\" width=\"36\" height=\"36\" alt=\"\">";

    // snsapi_base has no sheet in WeChat (静默授权); the sandbox still shows one because it must learn who the user is.
    private static ScopeWording WordingOf(string scope) => scope switch
    {
        "snsapi_login" => new("使用微信扫一扫登录", "使用你的微信账号登录该网站",
            "沙箱中无需扫码：选择一位测试用户，即视为该用户已用微信扫码并确认登录。"),
        "snsapi_base" => new("静默授权", "获取你的身份标识（openid），不获取昵称、头像",
            "真实微信中 snsapi_base 不显示此页面，直接跳回网页；沙箱需要知道登录的是哪位测试用户，因此在这里选择。"),
        _ => new("申请获取以下权限", "获取你的昵称、头像",
            "选择一位测试用户代表正在使用微信的人，允许后带着授权码跳回网页。"),
    };

    private static void AppendAccounts(StringBuilder page, AuthorizeRequest request, WeChatSandboxState sandbox, string decisionPath)
    {
        page.Append("<section class=\"accounts\"><h3>选择测试用户（轻触即以该用户允许）</h3>\n<ul>\n");
        var first = true;
        foreach (var user in sandbox.Users)
        {
            page.Append("<li><a class=\"account").Append(first ? " selected" : "").Append("\" id=\"user-").Append(Html.Encode(user.Key))
                .Append("\" href=\"").Append(Html.Encode(DecisionLink(decisionPath, request, new("user", user.Key)))).Append("\">")
                .Append(Placeholder(user.Nickname, user.Key, 40))
                .Append("<span class=\"who\"><span class=\"nickname\">").Append(Html.Encode(user.Nickname)).Append("</span><small>")
                .Append(Html.Encode(user.Key)).Append(user.Key == sandbox.SnapshotUser ? " · 快照页虚拟账号" : "").Append("</small></span>")
                .Append("<span class=\"mark\" aria-hidden=\"true\"></span></a></li>\n");
            first = false;
        }

        page.Append("</ul></section>\n");
    }

    // Never empty: the options setup falls back to the built-in users when none are configured.
    private static void AppendActions(StringBuilder page, AuthorizeRequest request, WeChatSandboxState sandbox, string decisionPath)
    {
        var preselected = sandbox.Users[0];
        page.Append("<div class=\"actions\"><a class=\"button refuse\" id=\"refuse\" href=\"")
            .Append(Html.Encode(DecisionLink(decisionPath, request, new("refuse", "1")))).Append("\">拒绝</a>")
            .Append("<a class=\"button allow\" id=\"allow\" href=\"")
            .Append(Html.Encode(DecisionLink(decisionPath, request, new("user", preselected.Key)))).Append("\">允许</a></div>\n")
            .Append("<p class=\"allow-as\">允许即以「").Append(Html.Encode(preselected.Nickname)).Append("」的身份授权</p>\n");
    }

    private static string DecisionLink(string decisionPath, AuthorizeRequest request, KeyValuePair<string, string> decision) =>
        decisionPath + QueryString.Create(request.Parameters().Append(decision)!);
}
