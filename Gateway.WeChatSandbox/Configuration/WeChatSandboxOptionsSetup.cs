using Microsoft.Extensions.Options;

namespace Gateway.WeChatSandbox;

/// <summary>Fills in the built-in data set for whatever configuration left empty.</summary>
internal sealed class WeChatSandboxOptionsSetup : IPostConfigureOptions<WeChatSandboxOptions>
{
    public void PostConfigure(string? name, WeChatSandboxOptions options)
    {
        if (options.Apps.Count == 0)
        {
            options.Apps = WeChatSandboxDefaults.Apps();
        }

        if (options.Users.Count == 0)
        {
            options.Users = WeChatSandboxDefaults.Users();
            options.SnapshotUser ??= WeChatSandboxDefaults.SnapshotUser;
        }
    }
}
