namespace Gateway.Tests.Login;

public sealed class LoginOptionsTests
{
    [Fact]
    public void InvalidLoginSettingsStopStartUpNamingTheSetting()
    {
        var failure = Infrastructure.GatewayInstance.TryStart(
            Infrastructure.YarpJson.Build(new Uri("http://127.0.0.1:9")),
            new Dictionary<string, string?>
            {
                ["WeChat:Apps:oa:Kind"] = "OfficialAccount",
                ["WeChat:Apps:oa:AppId"] = "wx_oa",
                ["WeChat:Apps:oa:Secret"] = "s",
                ["Login:TicketLifetime"] = "00:10:00",
                ["Login:AllowedReturnOrigins:0"] = "https://shop.example.com/path",
                ["Login:RateLimit:PerClientPermits"] = "0",
            });

        var message = failure?.ToString() ?? "";
        Assert.Contains("Login:PublicBaseUrl is required", message);
        Assert.Contains("Login:TicketLifetime must be between", message);
        Assert.Contains("Login:AllowedReturnOrigins:0 must be an origin", message);
        Assert.Contains("Login:RateLimit:PerClientPermits", message);
        Assert.DoesNotContain("\"s\"", message);
    }

    [Fact]
    public void AMiniProgramOnlyGatewayNeedsNoPublicBaseUrl()
    {
        var failure = Infrastructure.GatewayInstance.TryStart(
            Infrastructure.YarpJson.Build(new Uri("http://127.0.0.1:9")),
            new Dictionary<string, string?>
            {
                ["WeChat:Apps:mp:Kind"] = "MiniProgram",
                ["WeChat:Apps:mp:AppId"] = "wx_mp",
                ["WeChat:Apps:mp:Secret"] = "s",
            });

        Assert.Null(failure);
    }
}
