using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Gateway.WeChatSandbox;

/// <summary>
/// Everything the simulated WeChat remembers: codes, tokens, session keys and faults. One instance per process
/// (a singleton), so every gateway instance pointed at the sandbox sees the same WeChat. One lock guards all
/// mutable state: operations are tiny, and a single lock makes "a code is redeemed exactly once" obvious.
/// </summary>
public sealed partial class WeChatSandboxState
{
    internal static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(7200);
    internal static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan PruneAfter = TimeSpan.FromHours(1);
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private const string CodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, CodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SnsGrant> _snsTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SnsGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppToken> _appTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<(string AppId, bool Stable), string> _currentAppToken = [];
    private readonly Dictionary<(string AppId, string UserKey), string> _sessionKeys = [];
    private readonly HashSet<(string AppId, string UserKey)> _userInfoGrants = [];
    private readonly Dictionary<string, AppFaultState> _faults = new(StringComparer.Ordinal);
    private readonly string _identitySeed;
    private readonly ILogger<WeChatSandboxState> _logger;
    private DateTimeOffset _lastPrune;

    public WeChatSandboxState(IOptions<WeChatSandboxOptions> options, TimeProvider time, ILogger<WeChatSandboxState> logger)
    {
        var value = options.Value;
        Apps = value.Apps.ToDictionary(a => a.AppId, StringComparer.Ordinal);
        Users = value.Users.ToList();
        UsersByKey = Users.ToDictionary(u => u.Key, StringComparer.Ordinal);
        SnapshotUser = string.IsNullOrEmpty(value.SnapshotUser) ? null : value.SnapshotUser;
        _identitySeed = value.IdentitySeed;
        Time = time;
        _logger = logger;
        _lastPrune = time.GetUtcNow();
    }

    public TimeProvider Time { get; }

    public IReadOnlyDictionary<string, SandboxApp> Apps { get; }

    public IReadOnlyList<SandboxUser> Users { get; }

    public string? SnapshotUser { get; }

    internal IReadOnlyDictionary<string, SandboxUser> UsersByKey { get; }

    internal ILogger Logger => _logger;

    /// <summary>The user's openid for the app: stable, and different for every app.</summary>
    public string OpenIdOf(string appId, string userKey) => DeriveId("openid", appId, userKey);

    /// <summary>The user's unionid as the app sees it: null when the app is not bound to an open platform.</summary>
    public string? UnionIdOf(string appId, string userKey) =>
        RequireApp(appId) is { IsBound: true } app ? DeriveId("unionid", app.OpenPlatform!, userKey) : null;

    internal SandboxApp RequireApp(string appId) =>
        Apps.TryGetValue(appId, out var app)
            ? app
            : throw new SandboxException("unknown_app", $"No sandbox app has appid '{appId}'.", StatusCodes.Status404NotFound);

    internal SandboxUser RequireUser(string userKey) =>
        UsersByKey.TryGetValue(userKey, out var user)
            ? user
            : throw new SandboxException("unknown_user", $"No sandbox user has key '{userKey}'.", StatusCodes.Status404NotFound);

    private string DeriveId(string purpose, string scope, string userKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{_identitySeed}\n{purpose}\n{scope}\n{userKey}"));
        return "o" + Convert.ToBase64String(hash).Replace('+', '-').Replace('/', '_')[..27];
    }

    private static string NewToken(int length) => RandomNumberGenerator.GetString(TokenAlphabet, length);

    private static string NewCode() => RandomNumberGenerator.GetString(CodeAlphabet, 32);

    private static string NewSessionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>Issues a code; the caller holds the lock.</summary>
    private string AddCode(string appId, string userKey, CodeKind kind, string scope)
    {
        var now = Time.GetUtcNow();
        PruneIfDue(now);
        var code = NewCode();
        _codes[code] = new CodeGrant(appId, userKey, kind, scope, now);
        return code;
    }

    /// <summary>
    /// Looks a code up without consuming it. Used codes and expired codes are remembered (for an hour) so they
    /// answer 40163 / 42003 rather than 40029, as WeChat does.
    /// </summary>
    private int? CheckCode(string? code, string appId, CodeKind kind, out CodeGrant grant)
    {
        grant = null!;
        if (string.IsNullOrEmpty(code))
        {
            return WeChatError.CodeMissing;
        }

        if (!_codes.TryGetValue(code, out var found) || found.AppId != appId || found.Kind != kind)
        {
            return WeChatError.InvalidCode;
        }

        if (found.Used)
        {
            return WeChatError.CodeBeenUsed;
        }

        if (Time.GetUtcNow() - found.IssuedAt >= CodeLifetime)
        {
            return WeChatError.CodeExpired;
        }

        grant = found;
        return null;
    }

    /// <summary>Counts a call against the app's faults; the caller holds the lock.</summary>
    /// <summary>
    /// The shared steps of a code exchange (jscode2session, sns/oauth2/access_token) in WeChat's order: injected
    /// faults, grant_type, the code itself, the high-risk check; then the code is spent. Null when it succeeded.
    /// </summary>
    private ApiResult? RedeemCode(string appId, string? code, string? grantType, CodeKind kind, out CodeGrant grant, out FaultOutcome faults)
    {
        grant = null!;
        faults = ApplyFaults(appId);
        if (faults.Errcode is { } injected)
        {
            return Error(injected, faults);
        }

        if (grantType != "authorization_code")
        {
            return Error(WeChatError.InvalidGrantType, faults);
        }

        if (CheckCode(code, appId, kind, out grant) is { } codeError)
        {
            return Error(codeError, faults);
        }

        if (IsHighRisk(appId, grant.UserKey))
        {
            return Error(WeChatError.HighRiskUser, faults);
        }

        grant.Used = true;
        return null;
    }

    private FaultOutcome ApplyFaults(string appId)
    {
        if (!_faults.TryGetValue(appId, out var faults))
        {
            return default;
        }

        var errcode = faults.OnCall(Time.GetUtcNow());
        if (errcode is { } injected)
        {
            Log.FaultInjected(_logger, appId, injected);
        }

        return new FaultOutcome(errcode, faults.Latency, faults.Faults.ErrcodeAsString);
    }

    private void PruneIfDue(DateTimeOffset now)
    {
        if (now - _lastPrune < TimeSpan.FromMinutes(10))
        {
            return;
        }

        _lastPrune = now;
        Prune(_codes, c => now - c.IssuedAt > PruneAfter);
        Prune(_snsTokens, t => now - t.ExpiresAt > PruneAfter);
        Prune(_refreshTokens, t => now - t.ExpiresAt > PruneAfter);
        Prune(_appTokens, t => now - t.ExpiresAt > PruneAfter);
    }

    private static void Prune<T>(Dictionary<string, T> entries, Func<T, bool> stale)
    {
        foreach (var key in entries.Where(e => stale(e.Value)).Select(e => e.Key).ToList())
        {
            entries.Remove(key);
        }
    }

    private static ApiResult Error(int errcode, FaultOutcome faults = default) =>
        new(WeChatError.Body(errcode, faults.ErrcodeAsString), faults.Latency);

    private static ApiResult Ok(JsonObject body, FaultOutcome faults) => new(body, faults.Latency);
}
