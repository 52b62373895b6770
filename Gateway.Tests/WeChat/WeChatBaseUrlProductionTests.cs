using Gateway.Tests.Forwarding;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.WeChat;

/// <summary>
/// In Production the AppSecret goes only to an https WeChat: a relative base URL (the embedded default's sandbox
/// on this gateway) or plain http refuses to start, unless WeChat:TestDeployment says this is a test deployment.
/// </summary>
public sealed class WeChatBaseUrlProductionTests
{
    private static readonly Uri Destination = new("http://127.0.0.1:9");

    private static Dictionary<string, string?> Settings(string setting, string value, string? testDeployment) => new()
    {
        [setting] = value,
        ["WeChat:TestDeployment"] = testDeployment,
        ["WeChat:Apps:mp:Kind"] = "MiniProgram",
        ["WeChat:Apps:mp:AppId"] = "wx_prod_mp",
        ["WeChat:Apps:mp:Secret"] = "prod-secret-value",
        ["Login:PublicBaseUrl"] = "https://auth.example.com",
    };

    [Theory]
    [InlineData("WeChat:ApiBaseUrl", "/_sandbox/wechat")]
    [InlineData("WeChat:OpenBaseUrl", "/_sandbox/wechat")]
    [InlineData("WeChat:ApiBaseUrl", "http://api.weixin.qq.com")]
    [InlineData("WeChat:OpenBaseUrl", "http://open.weixin.qq.com")]
    public void ARelativeOrPlainHttpWeChatBaseUrlRefusesToStartInProduction(string setting, string value)
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(Destination, new TestRoute("api", "/api/{**rest}")), Settings(setting, value, testDeployment: null));

        Assert.NotNull(failure);
        var message = RoutePolicyValidationTests.AllMessages(failure);
        Assert.Contains(setting, message);
        Assert.Contains("WeChat:TestDeployment", message);
        Assert.DoesNotContain("prod-secret-value", message);
    }

    [Fact]
    public void ATestDeploymentMayUseAPlainHttpWeChat()
    {
        var failure = GatewayInstance.TryStart(
            YarpJson.Build(Destination, new TestRoute("api", "/api/{**rest}")), Settings("WeChat:ApiBaseUrl", "http://127.0.0.1:9/wechat", testDeployment: "true"));

        Assert.Null(failure);
    }
}
