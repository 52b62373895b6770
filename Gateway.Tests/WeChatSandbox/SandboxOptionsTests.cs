using Gateway.WeChatSandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>The data set: defaults, binding from the WeChatSandbox configuration section, and start-up validation.</summary>
public sealed class SandboxOptionsTests
{
    [Fact]
    public void DefaultDataSetHasEveryAppKindAnEmojiUserAPhoneAndASnapshotUser()
    {
        var options = Resolve(new Dictionary<string, string?>());

        Assert.Equal(
            ["wx_sandbox_oa", "wx_sandbox_web", "wx_sandbox_app", "wx_sandbox_mp", "wx_sandbox_mp_twostep", "wx_sandbox_mp_unbound", "wx_sandbox_donut"],
            options.Apps.Select(a => a.AppId));
        Assert.Contains(options.Apps, a => a.Kind == SandboxAppKind.MiniProgram && string.IsNullOrEmpty(a.OpenPlatform));
        Assert.Contains(options.Users, u => u.Nickname == "小明🐼" && u.Phone is not null);
        Assert.Equal("snapshot", options.SnapshotUser);
        Assert.True(options.Users.Count >= 3);
    }

    [Fact]
    public void ConfigurationReplacesTheDefaultApps()
    {
        var options = Resolve(new Dictionary<string, string?>
        {
            ["WeChatSandbox:Apps:0:AppId"] = "wx_custom",
            ["WeChatSandbox:Apps:0:Secret"] = "custom-secret",
            ["WeChatSandbox:Apps:0:Kind"] = "Website",
            ["WeChatSandbox:Apps:0:OpenPlatform"] = "op",
        });

        var app = Assert.Single(options.Apps);
        Assert.Equal(SandboxAppKind.Website, app.Kind);
        Assert.Equal("op", app.OpenPlatform);
        Assert.Contains(options.Users, u => u.Key == "xiaoming");
    }

    [Theory]
    [InlineData("WeChatSandbox:Apps:1:AppId 'dup' is used by more than one app", "dup", "dup", "xiaoming", null)]
    [InlineData("WeChatSandbox:Apps:0:AppId is required", "", "b", "xiaoming", null)]
    [InlineData("WeChatSandbox:Users:0:Key is required", "a", "b", "Xiao Ming", null)]
    [InlineData("WeChatSandbox:SnapshotUser 'ghost' is not the Key of any WeChatSandbox:Users entry", "a", "b", "xiaoming", "ghost")]
    public void InvalidDataSetIsRejectedNamingTheSetting(string message, string firstAppId, string secondAppId, string userKey, string? snapshot)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>(), o =>
        {
            o.Apps = [App(firstAppId), App(secondAppId)];
            o.Users = [new SandboxUser { Key = userKey, Nickname = "n" }];
            o.SnapshotUser = snapshot;
        }));

        Assert.Contains(error.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownKindIsRejectedNamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>(), o =>
            o.Apps = [new SandboxApp { AppId = "a", Secret = "s", Kind = (SandboxAppKind)42 }]));

        Assert.Contains(error.Failures, f => f.StartsWith("WeChatSandbox:Apps:0:Kind must be one of OfficialAccount, Website, MobileApp, MiniProgram", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://example.com/icon.png")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    public void IconThatIsNotAnInlineImageIsRejectedNamingTheSetting(string icon)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>(), o =>
            o.Apps = [new SandboxApp { AppId = "a", Secret = "s", Kind = SandboxAppKind.OfficialAccount, Icon = icon }]));

        Assert.Contains(error.Failures, f => f.StartsWith("WeChatSandbox:Apps:0:Icon must be a data:image/... URI", StringComparison.Ordinal));
    }

    [Fact]
    public void IconLargerThan64KiBIsRejected()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>(), o =>
            o.Apps = [new SandboxApp { AppId = "a", Secret = "s", Kind = SandboxAppKind.OfficialAccount, Icon = "data:image/png;base64," + new string('A', 64 * 1024) }]));

        Assert.Contains(error.Failures, f => f.StartsWith("WeChatSandbox:Apps:0:Icon must be", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerRefusesToStartWithAnInvalidDataSet()
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() => WeChatSandboxServer.StartAsync(o => o.Apps = [App("a"), App("a")]));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void SandboxIsEnabledOnlyWhenConfigurationSaysSo(string? value, bool enabled)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WeChatSandbox:Enabled"] = value }).Build();

        Assert.Equal(enabled, WeChatSandboxOptions.IsEnabled(configuration));
    }

    private static SandboxApp App(string appId) => new() { AppId = appId, Secret = "s", Kind = SandboxAppKind.OfficialAccount };

    private static WeChatSandboxOptions Resolve(Dictionary<string, string?> settings, Action<WeChatSandboxOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddWeChatSandbox(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WeChatSandboxOptions>>().Value;
    }
}
