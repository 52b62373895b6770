namespace Gateway.WeChatSandbox;

/// <summary>The open.weixin.qq.com equivalents: the authorization pages and the user's decision.</summary>
internal static class ConnectEndpoints
{
    public const string DecisionPath = "/sandbox/consent";

    public static void Map(IEndpointRouteBuilder group, string prefix)
    {
        group.MapGet("/connect/oauth2/authorize", (HttpRequest r, WeChatSandboxState s) =>
            Show(r, s, prefix, SandboxAppKind.OfficialAccount));
        group.MapGet("/connect/qrconnect", (HttpRequest r, WeChatSandboxState s) =>
            Show(r, s, prefix, SandboxAppKind.Website));
        group.MapGet(DecisionPath, Decide);
    }

    private static IResult Show(HttpRequest request, WeChatSandboxState sandbox, string prefix, SandboxAppKind kind)
    {
        try
        {
            var authorize = AuthorizeRequest.Parse(request.Query, sandbox, kind);
            return ConsentPage.Render(authorize, sandbox, $"{request.PathBase}{prefix}{DecisionPath}");
        }
        catch (SandboxException error)
        {
            return Rejected(sandbox, error);
        }
    }

    private static IResult Decide(HttpRequest request, WeChatSandboxState sandbox)
    {
        try
        {
            var kind = request.Query["scope"] == "snsapi_login" ? SandboxAppKind.Website : SandboxAppKind.OfficialAccount;
            var authorize = AuthorizeRequest.Parse(request.Query, sandbox, kind);
            if (request.Query.ContainsKey("refuse"))
            {
                Log.ConsentDecided(sandbox.Logger, authorize.App.AppId, "refused");
                return Results.Redirect(authorize.Callback(code: null));
            }

            var userKey = request.Query["user"].FirstOrDefault() ?? "";
            var code = sandbox.IssueAuthorizationCode(authorize.App.AppId, userKey, authorize.Scope);
            Log.ConsentDecided(sandbox.Logger, authorize.App.AppId, "agreed");
            return Results.Redirect(authorize.Callback(code));
        }
        catch (SandboxException error)
        {
            return Rejected(sandbox, error);
        }
    }

    private static IResult Rejected(WeChatSandboxState sandbox, SandboxException error)
    {
        Log.AuthorizeRejected(sandbox.Logger, error.Code);
        return ConsentPage.Error(error);
    }
}
