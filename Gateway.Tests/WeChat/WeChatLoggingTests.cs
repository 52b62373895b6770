using Gateway.Auth.WeChat;
using Gateway.WeChatSandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.WeChat;

public sealed class WeChatLoggingTests
{
    [Fact]
    public async Task NoSecretCodeSessionKeyOrTokenReachesAnyLogEvenAtTrace()
    {
        await using var bed = await WeChatTestbed.StartAsync();
        var instance = bed.NewInstance();
        var client = instance.GetRequiredService<WeChatApiClient>();
        var mp = bed.App(instance, "mp");
        var oa = bed.App(instance, "oa");
        var jsCode = bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming");
        var oauthCode = bed.Sandbox.IssueAuthorizationCode(WeChatTestbed.OfficialAccount, "xiaoming", "snsapi_userinfo");
        var phoneCode = bed.Sandbox.IssuePhoneCode(WeChatTestbed.MiniProgram, "xiaoming");

        bed.Sandbox.SetFaults(WeChatTestbed.MiniProgram, new SandboxFaults { SystemBusyCalls = 1 });
        var session = await client.Code2SessionAsync(mp, jsCode);
        await Assert.ThrowsAsync<WeChatApiException>(() => client.Code2SessionAsync(mp, jsCode));
        var oauth = await client.ExchangeOAuthCodeAsync(oa, oauthCode);
        await client.GetUserInfoAsync(oa, oauth.AccessToken, oauth.OpenId);
        string? appToken = null;
        await instance.GetRequiredService<AppAccessTokenCache>().UseAsync(mp, (token, ct) =>
        {
            appToken = token;
            return client.GetPhoneNumberAsync(mp, token, phoneCode, bed.Sandbox.OpenIdOf(WeChatTestbed.MiniProgram, "xiaoming"), ct);
        });
        await Assert.ThrowsAsync<WeChatApiException>(() => client.Code2SessionAsync(mp with { Secret = "sandbox-secret-mp-typo" }, "x"));

        var logs = string.Join('\n', bed.LogMessages);
        Assert.Contains("sns/jscode2session", logs);
        foreach (var secret in new[] { "sandbox-secret-", jsCode, oauthCode, phoneCode, session.SessionKey, oauth.AccessToken, appToken!, "secret=", "access_token=" })
        {
            Assert.DoesNotContain(secret, logs);
        }
    }
}
