using Gateway.Auth.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.WeChat;

public sealed class WeChatOptionsValidationTests
{
    private static string Failure(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddWeChatApi(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WeChatOptions>>().Value).Message;
    }

    [Fact]
    public void AnAppWithoutKindAppIdOrSecretIsNamedInTheFailure()
    {
        var message = Failure(new() { ["WeChat:Apps:shop:Secret"] = "" });

        Assert.Contains("WeChat:Apps:shop:Kind is required", message);
        Assert.Contains("WeChat:Apps:shop:AppId is required", message);
        Assert.Contains("WeChat:Apps:shop: exactly one of Secret and SecretFile is required", message);
    }

    [Fact]
    public void AMissingSecretFileIsRefusedWithoutEchoingAnySecret()
    {
        var message = Failure(new()
        {
            ["WeChat:Apps:shop:Kind"] = "MiniProgram",
            ["WeChat:Apps:shop:AppId"] = "wx1",
            ["WeChat:Apps:shop:SecretFile"] = "/nonexistent/secret",
            ["WeChat:Apps:oa:Kind"] = "OfficialAccount",
            ["WeChat:Apps:oa:AppId"] = "wx1",
            ["WeChat:Apps:oa:Secret"] = "topsecret-value",
        });

        Assert.Contains("WeChat:Apps:shop:SecretFile '/nonexistent/secret' does not exist", message);
        Assert.Contains("AppId 'wx1' is configured for more than one app key", message);
        Assert.DoesNotContain("topsecret-value", message);
    }

    [Fact]
    public void BaseUrlsTimeoutAndRetryAreChecked()
    {
        var message = Failure(new()
        {
            ["WeChat:ApiBaseUrl"] = "/relative",
            ["WeChat:OpenBaseUrl"] = "ftp://example.com",
            ["WeChat:Timeout"] = "00:00:00",
            ["WeChat:Retry:Attempts"] = "9",
        });

        Assert.Contains("WeChat:ApiBaseUrl must be an absolute http(s) URL", message);
        Assert.Contains("WeChat:OpenBaseUrl must be an absolute http(s) URL", message);
        Assert.Contains("WeChat:Timeout must be greater than zero", message);
        Assert.Contains("WeChat:Retry:Attempts must be between 0 and 5", message);
    }

    [Fact]
    public void ASecretFileIsReadAndTrimmed()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "  from-file-secret\n");
        try
        {
            var services = new ServiceCollection();
            services.AddWeChatApi(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WeChat:Apps:shop:Kind"] = "MiniProgram",
                ["WeChat:Apps:shop:AppId"] = "wx1",
                ["WeChat:Apps:shop:SecretFile"] = file,
            }).Build());
            using var provider = services.BuildServiceProvider();

            var app = provider.GetRequiredService<WeChatApps>().Find("shop", WeChatAppKind.MiniProgram);

            Assert.Equal("from-file-secret", app!.Secret);
            Assert.Null(provider.GetRequiredService<WeChatApps>().Find("shop", WeChatAppKind.OfficialAccount));
            Assert.DoesNotContain("from-file-secret", app.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
