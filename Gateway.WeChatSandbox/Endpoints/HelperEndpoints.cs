using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>
/// Sandbox-only endpoints under <c>{prefix}/sandbox/</c>: what the WeChat client would give a front end, the data
/// set, and fault switches. Errors are <c>{"code","message"}</c> with a 4xx status, unlike WeChat's errcode bodies,
/// so a helper misuse is never mistaken for a simulated WeChat answer.
/// </summary>
internal static class HelperEndpoints
{
    public static void Map(IEndpointRouteBuilder group, string prefix)
    {
        group.MapGet("/sandbox/", (HttpRequest r, WeChatSandboxState s) => IndexPage.Render(r, s, prefix));
        group.MapGet("/sandbox/apps", (WeChatSandboxState s) => Results.Ok(s.Apps.Values.Select(a => new
        {
            appid = a.AppId,
            name = a.Name,
            kind = a.Kind.ToString(),
            bound = a.IsBound,
            behaviour = a.Behaviour.ToString(),
            mobileApp = a.MobileApp,
        })));
        group.MapGet("/sandbox/users", (WeChatSandboxState s) => Results.Ok(s.Users.Select(u => new
        {
            key = u.Key,
            nickname = u.Nickname,
            phone = u.Phone,
            snapshot = u.Key == s.SnapshotUser,
            openids = s.Apps.Keys.ToDictionary(appId => appId, appId => s.OpenIdOf(appId, u.Key)),
            unionids = s.Apps.Keys.ToDictionary(appId => appId, appId => s.UnionIdOf(appId, u.Key)),
            multiPlatformUserIds = s.Apps.Values.Where(a => a.Kind == SandboxAppKind.MultiPlatform)
                .ToDictionary(a => a.AppId, a => s.MultiPlatformUserIdOf(a.AppId, u.Key)),
        })));

        group.MapPost("/sandbox/wxlogin", (HttpRequest r, WeChatSandboxState s) =>
            Run(() => Code(s.IssueMiniProgramLoginCode(Required(r, "appid"), Required(r, "user")))));
        group.MapPost("/sandbox/app-code", (HttpRequest r, WeChatSandboxState s) =>
            Run(() => Code(s.IssueAppSdkCode(Required(r, "appid"), Required(r, "user")))));
        group.MapPost("/sandbox/phone-code", (HttpRequest r, WeChatSandboxState s) =>
            Run(() => Code(s.IssuePhoneCode(Required(r, "appid"), Required(r, "user")))));
        group.MapPost("/sandbox/donut-code", (HttpRequest r, WeChatSandboxState s) =>
            Run(() => Code(s.IssueMultiPlatformLoginCode(Required(r, "appid"), Required(r, "user"), r.Query["type"].FirstOrDefault() ?? "weixinApp"))));
        group.MapPost("/sandbox/phone-data", (HttpRequest r, WeChatSandboxState s) => Run(() =>
        {
            var (encryptedData, iv) = s.EncryptPhoneData(Required(r, "appid"), Required(r, "user"));
            return Results.Ok(new { encryptedData, iv });
        }));
        group.MapPost("/sandbox/expire-session-key", (HttpRequest r, WeChatSandboxState s) =>
            Run(() =>
            {
                s.ExpireSessionKey(Required(r, "appid"), Required(r, "user"));
                return Results.NoContent();
            }));
        group.MapPost("/sandbox/authorize-code", (HttpRequest r, WeChatSandboxState s) =>
            Run(() => Code(s.IssueAuthorizationCode(Required(r, "appid"), Required(r, "user"), Required(r, "scope")))));
        group.MapPost("/sandbox/user-data", (HttpRequest r, WeChatSandboxState s) => Run(() =>
        {
            var data = s.EncryptUserData(Required(r, "appid"), Required(r, "user"));
            return Results.Ok(new
            {
                encryptedData = data.EncryptedData,
                iv = data.Iv,
                rawData = data.RawData,
                signature = data.Signature,
                userInfo = JsonNode.Parse(data.RawData),
            });
        }));

        group.MapGet("/sandbox/faults/{appid}", (string appid, WeChatSandboxState s) =>
            Run(() => Results.Ok(s.GetFaults(appid) ?? new SandboxFaults())));
        group.MapPut("/sandbox/faults/{appid}", async (string appid, HttpRequest r, WeChatSandboxState s) =>
        {
            var faults = await ReadFaultsAsync(r);
            return Run(() =>
            {
                s.SetFaults(appid, faults ?? throw new SandboxException("invalid_faults", "The body must be a JSON object of SandboxFaults fields."));
                return Results.Ok(s.GetFaults(appid));
            });
        });
        group.MapDelete("/sandbox/faults/{appid}", (string appid, WeChatSandboxState s) =>
            Run(() =>
            {
                s.ClearFaults(appid);
                return Results.NoContent();
            }));
    }

    private static async Task<SandboxFaults?> ReadFaultsAsync(HttpRequest request)
    {
        try
        {
            return await request.ReadFromJsonAsync<SandboxFaults>(request.HttpContext.RequestAborted);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IResult Code(string code) => Results.Ok(new { code });

    private static string Required(HttpRequest request, string name) =>
        request.Query[name].FirstOrDefault() is { Length: > 0 } value
            ? value
            : throw new SandboxException("missing_parameter", $"Query parameter '{name}' is required.");

    private static IResult Run(Func<IResult> operation)
    {
        try
        {
            return operation();
        }
        catch (SandboxException error)
        {
            return Results.Json(new { code = error.Code, message = error.Message }, statusCode: error.StatusCode);
        }
    }
}
