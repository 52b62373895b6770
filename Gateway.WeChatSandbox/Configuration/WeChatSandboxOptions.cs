namespace Gateway.WeChatSandbox;

/// <summary>
/// The apps and test users the sandbox simulates (configuration section <c>WeChatSandbox</c>). Lists left empty are
/// filled with the built-in data set (<see cref="WeChatSandboxDefaults"/>) after binding, so a configuration that
/// names its own apps replaces the defaults instead of appending to them.
/// </summary>
public sealed class WeChatSandboxOptions
{
    public const string SectionName = "WeChatSandbox";

    /// <summary>
    /// Whether a host should mount the sandbox (<c>WeChatSandbox:Enabled</c>). The sandbox never reads it itself:
    /// the gateway checks it with <see cref="IsEnabled"/> before calling AddWeChatSandbox/MapWeChatSandbox, and
    /// production configuration leaves it false.
    /// </summary>
    public bool Enabled { get; set; }

    public List<SandboxApp> Apps { get; set; } = [];

    public List<SandboxUser> Users { get; set; } = [];

    /// <summary>
    /// Key of the user who appears as WeChat's virtual "snapshot page" user (is_snapshotuser: 1) to official
    /// accounts. Empty: no snapshot user.
    /// </summary>
    public string? SnapshotUser { get; set; }

    /// <summary>
    /// Mixed into every derived openid and unionid. Identifiers are stable for a given seed, so a sandbox restart
    /// keeps users' identities (and the gateway's database rows) meaningful.
    /// </summary>
    public string IdentitySeed { get; set; } = "gateway-wechat-sandbox";

    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetSection(SectionName).GetValue<bool>(nameof(Enabled));
}
