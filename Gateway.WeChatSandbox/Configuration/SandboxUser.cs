namespace Gateway.WeChatSandbox;

/// <summary>A test WeChat user (configuration section <c>WeChatSandbox:Users:N</c>).</summary>
public sealed class SandboxUser
{
    /// <summary>Stable key (lowercase letters, digits, '-'): names the user in helper calls and consent-page ids.</summary>
    public string Key { get; set; } = "";

    public string Nickname { get; set; } = "";

    /// <summary>WeChat's sex field: 0 unknown, 1 male, 2 female.</summary>
    public int Sex { get; set; }

    public string Province { get; set; } = "";

    public string City { get; set; } = "";

    public string Country { get; set; } = "";

    public string HeadImgUrl { get; set; } = "";

    public string Language { get; set; } = "zh_CN";

    /// <summary>Phone number without country code; empty when the user has bound none.</summary>
    public string? Phone { get; set; }

    public string CountryCode { get; set; } = "86";
}
