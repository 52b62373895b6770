namespace Gateway.WeChatSandbox;

/// <summary>The api.weixin.qq.com equivalents, at WeChat's own paths under the sandbox prefix.</summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/sns/oauth2/access_token", (HttpRequest r, WeChatSandboxState s) =>
            Plain(s, s.ExchangeOAuthCode(Q(r, "appid"), Q(r, "secret"), Q(r, "code"), Q(r, "grant_type"))));
        group.MapGet("/sns/oauth2/refresh_token", (HttpRequest r, WeChatSandboxState s) =>
            Plain(s, s.RefreshSnsToken(Q(r, "appid"), Q(r, "grant_type"), Q(r, "refresh_token"))));
        group.MapGet("/sns/userinfo", (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.UserInfo(Q(r, "access_token"), Q(r, "openid"))));
        group.MapGet("/sns/auth", (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.Auth(Q(r, "access_token"), Q(r, "openid"))));
        group.MapGet("/sns/jscode2session", (HttpRequest r, WeChatSandboxState s) =>
            Plain(s, s.JsCode2Session(Q(r, "appid"), Q(r, "secret"), Q(r, "js_code"), Q(r, "grant_type"))));
        group.MapGet("/cgi-bin/token", (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.AppAccessToken(Q(r, "grant_type"), Q(r, "appid"), Q(r, "secret"))));
        group.MapPost("/cgi-bin/stable_token", async (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.StableAccessToken(await WeChatJsonResult.ReadObjectAsync(r))));
        group.MapGet("/wxa/checksession", (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.CheckSession(Q(r, "access_token"), Q(r, "openid"), Q(r, "signature"), Q(r, "sig_method"))));
        group.MapGet("/wxa/resetusersessionkey", (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.ResetUserSessionKey(Q(r, "access_token"), Q(r, "openid"), Q(r, "signature"), Q(r, "sig_method"))));
        group.MapGet("/donut/code2verifyinfo", (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.Code2VerifyInfo(Q(r, "appid"), Q(r, "appsecret"), Q(r, "code"), Q(r, "grant_type"))));
        group.MapPost("/wxa/business/getuserphonenumber", async (HttpRequest r, WeChatSandboxState s) =>
            Json(s, s.PhoneNumber(Q(r, "access_token"), await WeChatJsonResult.ReadObjectAsync(r))));
    }

    private static string? Q(HttpRequest request, string name) => request.Query[name].FirstOrDefault();

    private static WeChatJsonResult Json(WeChatSandboxState state, ApiResult result) => new(result, state.Time);

    private static WeChatJsonResult Plain(WeChatSandboxState state, ApiResult result) => new(result, state.Time, textPlain: true);
}
