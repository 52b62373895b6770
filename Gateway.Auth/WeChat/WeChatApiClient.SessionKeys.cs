using System.Security.Cryptography;
using System.Text;

namespace Gateway.Auth.WeChat;

/// <summary>session_key health: wxa/checksession and wxa/resetusersessionkey, both signed with the key itself.</summary>
public sealed partial class WeChatApiClient
{
    /// <summary>True when <paramref name="sessionKey"/> is WeChat's current key for the user; false on 87009.</summary>
    public async Task<bool> IsSessionKeyCurrentAsync(WeChatApp app, string accessToken, string openId, string sessionKey, CancellationToken cancellationToken = default)
    {
        try
        {
            await GetAsync("wxa/checksession", app.AppId, SignedQuery(accessToken, openId, sessionKey), _ => true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.StaleSessionKey)
        {
            return false;
        }
    }

    /// <summary>Has WeChat replace the user's session_key; the answer is the new key, a secret like the old one.</summary>
    /// <exception cref="WeChatApiException">Kind <see cref="WeChatErrorKind.StaleSessionKey"/> when <paramref name="sessionKey"/> is no longer current.</exception>
    public Task<string> ResetSessionKeyAsync(WeChatApp app, string accessToken, string openId, string sessionKey, CancellationToken cancellationToken = default) =>
        GetAsync("wxa/resetusersessionkey", app.AppId, SignedQuery(accessToken, openId, sessionKey), root =>
        {
            if (WeChatJson.String(root, "openid") is { } answered && answered != openId)
            {
                throw new WeChatApiException("wxa/resetusersessionkey", WeChatErrorKind.Unexpected, null, "WeChat wxa/resetusersessionkey answered about another openid.");
            }

            return Required(root, "session_key", "wxa/resetusersessionkey");
        }, cancellationToken);

    /// <summary>WeChat's signature of a session: hmac_sha256 keyed with the session_key string, over the empty string.</summary>
    internal static string SessionSignature(string sessionKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(sessionKey), Array.Empty<byte>()));

    private static (string Name, string Value)[] SignedQuery(string accessToken, string openId, string sessionKey) =>
        [("access_token", accessToken), ("openid", openId), ("signature", SessionSignature(sessionKey)), ("sig_method", "hmac_sha256")];
}
