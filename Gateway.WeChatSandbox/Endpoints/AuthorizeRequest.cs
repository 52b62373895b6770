using System.Text;

namespace Gateway.WeChatSandbox;

/// <summary>A validated connect/oauth2/authorize or connect/qrconnect request.</summary>
internal sealed record AuthorizeRequest(SandboxApp App, Uri RedirectUri, string Scope, string State)
{
    /// <summary>Clients often put WeChat's fragment into the query itself; WeChat ignores it, and so do we.</summary>
    private const string WeChatRedirectSuffix = "#wechat_redirect";
    public const int MaxStateBytes = 128;

    /// <summary>The URL the browser is sent back to: with a code when the user agreed, with only state when not.</summary>
    public string Callback(string? code)
    {
        var target = new StringBuilder(RedirectUri.AbsoluteUri).Append(RedirectUri.Query.Length > 0 ? '&' : '?');
        if (code is not null)
        {
            target.Append("code=").Append(Uri.EscapeDataString(code)).Append('&');
        }

        return target.Append("state=").Append(Uri.EscapeDataString(State)).ToString();
    }

    /// <summary>The parameters again, for the consent page's links back into the sandbox.</summary>
    public IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        yield return new("appid", App.AppId);
        yield return new("redirect_uri", RedirectUri.AbsoluteUri);
        yield return new("response_type", "code");
        yield return new("scope", Scope);
        yield return new("state", State);
    }

    public static AuthorizeRequest Parse(IQueryCollection query, WeChatSandboxState sandbox, SandboxAppKind expectedKind)
    {
        var appId = Read(query, "appid");
        if (appId.Length == 0)
        {
            throw Reject("missing_appid", "appid is required (WeChat error 10012).");
        }

        if (!sandbox.Apps.TryGetValue(appId, out var app))
        {
            throw Reject("invalid_appid", $"No sandbox app has appid '{appId}'.");
        }

        if (app.Kind != expectedKind)
        {
            throw Reject("invalid_appid", $"App '{appId}' is a {app.Kind}; this endpoint serves {expectedKind} apps.");
        }

        if (Read(query, "response_type") != "code")
        {
            throw Reject("invalid_response_type", "response_type must be 'code'.");
        }

        var scope = Read(query, "scope");
        if (scope.Length == 0)
        {
            throw Reject("missing_scope", "scope is required (WeChat error 10010).");
        }

        var scopes = WeChatSandboxState.ScopesOf(app.Kind);
        if (!scopes.Contains(scope))
        {
            throw Reject("invalid_scope", $"App '{appId}' has no permission for scope '{scope}' (WeChat error 10005); allowed: {string.Join(", ", scopes)}.");
        }

        var redirectUri = ParseRedirectUri(Read(query, "redirect_uri"), app);
        var state = Read(query, "state");
        if (Encoding.UTF8.GetByteCount(state) > MaxStateBytes)
        {
            throw Reject("invalid_state", $"state must be at most {MaxStateBytes} bytes.");
        }

        if (!state.All(char.IsAsciiLetterOrDigit))
        {
            throw Reject("invalid_state", "state may contain only letters and digits.");
        }

        return new AuthorizeRequest(app, redirectUri, scope, state);
    }

    private static Uri ParseRedirectUri(string value, SandboxApp app)
    {
        if (value.Length == 0)
        {
            throw Reject("missing_redirect_uri", "redirect_uri is required (WeChat error 10011).");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            throw Reject("invalid_redirect_uri", "redirect_uri must be an absolute http(s) URL without user info or fragment.");
        }

        if (app.RedirectHosts.Count > 0 && !app.RedirectHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            throw Reject("redirect_uri_mismatch", $"redirect_uri host '{uri.Host}' is not configured for app '{app.AppId}' (WeChat error 10003).");
        }

        return uri;
    }

    private static string Read(IQueryCollection query, string name)
    {
        var value = query[name].FirstOrDefault() ?? "";
        return value.EndsWith(WeChatRedirectSuffix, StringComparison.Ordinal) ? value[..^WeChatRedirectSuffix.Length] : value;
    }

    private static SandboxException Reject(string code, string message) => new(code, message);
}
