using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Login;

/// <summary>
/// Tells a session_key WeChat has retired from data that is merely corrupt: when user data does not decrypt, the
/// key is checked with wxa/checksession, and a stale one asks the client for a new wx.login instead.
/// </summary>
internal static class SessionKeyHealth
{
    /// <summary>Rethrows <paramref name="failure"/> unless WeChat says the key is stale; then session_key_expired.</summary>
    public static async Task<Exception> ExplainDecryptFailureAsync(LoginContext login, WeChatApp app, string openId, string sessionKey, UserDataException failure, CancellationToken ct)
    {
        if (failure.Error != UserDataError.DecryptFailed)
        {
            return failure;
        }

        bool current;
        try
        {
            current = await login.AppTokens.UseAsync(app, (token, callCancellation) => login.WeChat.IsSessionKeyCurrentAsync(app, token, openId, sessionKey, callCancellation), ct);
        }
        catch (WeChatApiException)
        {
            // The check is a diagnosis, not a gate: without it the client still hears that the data did not decrypt.
            return failure;
        }

        return current ? failure : Expired();
    }

    public static LoginException Expired() => new(
        StatusCodes.Status400BadRequest,
        LoginErrorCodes.SessionKeyExpired,
        "The WeChat session expired before the user data arrived: call wx.login again and start over.");
}
