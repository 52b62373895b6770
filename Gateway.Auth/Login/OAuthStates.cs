using System.Text.Json;
using Gateway.Auth.Http;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>
/// Server-side OAuth state for the browser flows. The state WeChat carries is only a random key (32 letters and
/// digits); the return URL, scope and app live in the store. A correlation cookie binds the state to the browser
/// that started the login: the store keeps only the hash of the cookie's nonce. Where the public base URL is https
/// the cookie is <c>__Host-</c> prefixed, which browsers refuse to let any other host (a sibling subdomain) set.
/// </summary>
internal sealed class OAuthStates(IEphemeralStore store, IOptions<LoginOptions> options)
{
    public const string CorrelationCookie = "wgw-wechat-login";
    public const string SecureCorrelationCookie = "__Host-" + CorrelationCookie;
    public const string CookiePath = "/auth/wechat/";
    public const int MaxStateBytes = 128;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Creates the state and sets a fresh correlation nonce. A nonce the browser already holds is never reused: it
    /// may have been planted, and a planted nonce lets an attacker's callback complete in the victim's browser.
    /// So only the login started last in a browser can complete.
    /// </summary>
    public async Task<string> StartAsync(HttpContext context, string app, string scope, string returnUrl)
    {
        var nonce = LoginSecrets.NewToken();
        var state = LoginSecrets.NewState();
        var record = JsonSerializer.Serialize(new OAuthStateRecord(app, scope, returnUrl, LoginSecrets.Hash(nonce)), LoginJsonContext.Default.OAuthStateRecord);
        await store.SetAsync(StateKey(state), record, options.Value.StateLifetime, context.RequestAborted).ConfigureAwait(false);
        var secure = IsHttps;
        context.Response.Cookies.Append(CookieName, nonce, new CookieOptions
        {
            HttpOnly = true,
            // Lax: WeChat's redirect back is a top-level navigation from another site, which Strict would drop.
            SameSite = SameSiteMode.Lax,
            // From configuration, never from the request, which a client or proxy header could fake.
            Secure = secure,
            // __Host- requires Path=/ (and Secure, no Domain).
            Path = secure ? "/" : CookiePath,
            MaxAge = options.Value.StateLifetime,
        });
        return state;
    }

    public static bool IsWellFormed(string state) =>
        state.Length <= MaxStateBytes && state.All(char.IsAsciiLetterOrDigit);

    /// <summary>The nonce under the exact cookie name this deployment sets; a look-alike name is no nonce.</summary>
    public string? Nonce(HttpContext context) =>
        ExactCookies.Get(context.Request, CookieName) is { } nonce && LoginSecrets.LooksLikeToken(nonce) ? nonce : null;

    private bool IsHttps => options.Value.PublicBaseUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;

    private string CookieName => IsHttps ? SecureCorrelationCookie : CorrelationCookie;

    public async Task<OAuthStateRecord?> PeekAsync(string state, CancellationToken cancellationToken) =>
        await store.GetAsync(StateKey(state), cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize(json, LoginJsonContext.Default.OAuthStateRecord)
            : null;

    /// <summary>True for exactly one caller: the state is used up.</summary>
    public async Task<bool> ConsumeAsync(string state, CancellationToken cancellationToken) =>
        await store.TakeAsync(StateKey(state), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Claims the code for this callback; false when another callback already did (a repeat).</summary>
    public Task<bool> ClaimCodeAsync(string appId, string code, string binding, CancellationToken cancellationToken) =>
        store.SetIfAbsentAsync(CodeKey(appId, code), Serialize(new OAuthCodeRecord(binding, false, null, null, null, null, null)), options.Value.CodeReplayWindow, cancellationToken);

    public Task RecordCodeAsync(string appId, string code, OAuthCodeRecord record, CancellationToken cancellationToken) =>
        store.SetAsync(CodeKey(appId, code), Serialize(record), options.Value.CodeReplayWindow, cancellationToken);

    /// <summary>The outcome of the first callback with this code, waiting (bounded) while it is still in progress.</summary>
    public async Task<OAuthCodeRecord?> AwaitCodeAsync(string appId, string code, TimeSpan budget, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var giveUpAt = timeProvider.GetUtcNow() + budget;
        while (true)
        {
            var json = await store.GetAsync(CodeKey(appId, code), cancellationToken).ConfigureAwait(false);
            var record = json is null ? null : JsonSerializer.Deserialize(json, LoginJsonContext.Default.OAuthCodeRecord);
            if (record is null || record.Done || timeProvider.GetUtcNow() >= giveUpAt)
            {
                return record;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ties a code's outcome to the state and the browser's nonce, so only the same browser can replay it.</summary>
    public static string Binding(string state, string nonce) => LoginSecrets.Hash(state + "\n" + nonce);

    private static string Serialize(OAuthCodeRecord record) => JsonSerializer.Serialize(record, LoginJsonContext.Default.OAuthCodeRecord);

    private static string StateKey(string state) => "wechat:oauth-state:" + state;

    private static string CodeKey(string appId, string code) => "wechat:oauth-code:" + LoginSecrets.Hash(appId + "\n" + code);
}
