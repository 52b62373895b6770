using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>
/// What the WeChat client would hand a front end (codes, encrypted user data), and the fault switches. Shared by
/// the <c>{prefix}/sandbox/...</c> endpoints and <see cref="WeChatSandboxServer"/>.
/// </summary>
public sealed partial class WeChatSandboxState
{
    /// <summary>The code the consent page redirects with, as if the user had agreed.</summary>
    public string IssueAuthorizationCode(string appId, string userKey, string scope)
    {
        var app = RequireApp(appId);
        RequireUser(userKey);
        if (!ScopesOf(app.Kind).Contains(scope))
        {
            throw new SandboxException(
                "invalid_scope",
                $"App '{appId}' ({app.Kind}) cannot authorize scope '{scope}'; allowed: {string.Join(", ", ScopesOf(app.Kind))}.");
        }

        lock (_lock)
        {
            return AddCode(appId, userKey, CodeKind.OAuth, scope);
        }
    }

    /// <summary>The code wx.login() gives a mini program.</summary>
    public string IssueMiniProgramLoginCode(string appId, string userKey) =>
        IssueFor(appId, userKey, SandboxAppKind.MiniProgram, CodeKind.MiniProgramLogin, "");

    /// <summary>The code the native WeChat SDK gives a mobile app (scope snsapi_userinfo).</summary>
    public string IssueAppSdkCode(string appId, string userKey) =>
        IssueFor(appId, userKey, SandboxAppKind.MobileApp, CodeKind.OAuth, "snsapi_userinfo");

    /// <summary>The code a getPhoneNumber button gives a mini program.</summary>
    public string IssuePhoneCode(string appId, string userKey)
    {
        if (string.IsNullOrEmpty(RequireUser(userKey).Phone))
        {
            throw new SandboxException("no_phone", $"Sandbox user '{userKey}' has no phone number.");
        }

        return IssueFor(appId, userKey, SandboxAppKind.MiniProgram, CodeKind.Phone, "");
    }

    /// <summary>
    /// What wx.getUserProfile gives the mini program, encrypted with the user's current session_key (the one the
    /// latest sns/jscode2session returned).
    /// </summary>
    public EncryptedUserData EncryptUserData(string appId, string userKey)
    {
        var app = RequireKind(appId, SandboxAppKind.MiniProgram);
        var user = RequireUser(userKey);
        var sessionKey = CurrentSessionKey(appId, userKey);
        var profile = new UserProfile(user, OpenIdOf(appId, userKey), UnionIdFor(app.AppId, userKey), app.Behaviour);
        return UserDataCipher.Encrypt(profile, appId, Time.GetUtcNow().ToUnixTimeSeconds(), sessionKey);
    }

    /// <summary>
    /// What getPhoneNumber gave a Mini Program before phone codes (2021-12): the number encrypted with the user's
    /// current session_key, {phoneNumber, purePhoneNumber, countryCode, watermark}.
    /// </summary>
    public (string EncryptedData, string Iv) EncryptPhoneData(string appId, string userKey)
    {
        RequireKind(appId, SandboxAppKind.MiniProgram);
        var user = RequireUser(userKey);
        if (string.IsNullOrEmpty(user.Phone))
        {
            throw new SandboxException("no_phone", $"Sandbox user '{userKey}' has no phone number.");
        }

        var phoneNumber = user.CountryCode == "86" ? user.Phone : $"+{user.CountryCode}{user.Phone}";
        var json = new JsonObject
        {
            ["phoneNumber"] = phoneNumber,
            ["purePhoneNumber"] = user.Phone,
            ["countryCode"] = user.CountryCode,
            ["watermark"] = new JsonObject { ["timestamp"] = Time.GetUtcNow().ToUnixTimeSeconds(), ["appid"] = appId },
        }.ToJsonString();
        return UserDataCipher.EncryptJson(json, CurrentSessionKey(appId, userKey));
    }

    private string CurrentSessionKey(string appId, string userKey)
    {
        lock (_lock)
        {
            if (_sessionKeys.TryGetValue((appId, userKey), out var sessionKey))
            {
                return sessionKey;
            }
        }

        throw new SandboxException(
            "no_session",
            $"User '{userKey}' has no session with '{appId}' yet: exchange a wx.login code at sns/jscode2session first.",
            StatusCodes.Status409Conflict);
    }

    public void SetFaults(string appId, SandboxFaults faults)
    {
        RequireApp(appId);
        foreach (var userKey in faults.HighRiskUsers)
        {
            RequireUser(userKey);
        }

        if (faults.LatencyMilliseconds < 0 || faults.SystemBusyCalls < 0 || faults.ForcedErrcodeCalls < 0 || faults.RateLimitPerMinute < 0)
        {
            throw new SandboxException("invalid_faults", "Latency, call counts and the rate limit must not be negative.");
        }

        lock (_lock)
        {
            _faults[appId] = new AppFaultState(faults);
        }
    }

    /// <summary>The app's faults with the counters consumed so far taken off; null when none are set.</summary>
    public SandboxFaults? GetFaults(string appId)
    {
        RequireApp(appId);
        lock (_lock)
        {
            return _faults.TryGetValue(appId, out var state) ? state.Remaining : null;
        }
    }

    public void ClearFaults(string appId)
    {
        RequireApp(appId);
        lock (_lock)
        {
            _faults.Remove(appId);
        }
    }

    internal static IReadOnlyList<string> ScopesOf(SandboxAppKind kind) => kind switch
    {
        SandboxAppKind.OfficialAccount => ["snsapi_base", "snsapi_userinfo"],
        SandboxAppKind.Website => ["snsapi_login"],
        SandboxAppKind.MobileApp => ["snsapi_userinfo"],
        _ => [],
    };

    private string IssueFor(string appId, string userKey, SandboxAppKind kind, CodeKind codeKind, string scope)
    {
        RequireKind(appId, kind);
        RequireUser(userKey);
        lock (_lock)
        {
            return AddCode(appId, userKey, codeKind, scope);
        }
    }

    private SandboxApp RequireKind(string appId, SandboxAppKind kind)
    {
        var app = RequireApp(appId);
        return app.Kind == kind
            ? app
            : throw new SandboxException("wrong_app_kind", $"App '{appId}' is a {app.Kind}, not a {kind}.");
    }
}
