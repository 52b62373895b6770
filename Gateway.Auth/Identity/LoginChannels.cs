using Gateway.IdentityAssertions;

namespace Gateway.Auth.Identity;

/// <summary>
/// The one name of each channel: the <c>chn</c> claim of assertions, the session's <c>channel</c>, the management
/// API's <c>appIdentities[].channel</c>, metric tags and logs all use it.
/// </summary>
public static class LoginChannels
{
    public static string NameOf(LoginChannel channel) => channel switch
    {
        LoginChannel.OfficialAccount => AssertionChannels.OfficialAccount,
        LoginChannel.Website => AssertionChannels.Website,
        LoginChannel.MobileApp => AssertionChannels.MobileApp,
        LoginChannel.MiniProgram => AssertionChannels.MiniProgram,
        LoginChannel.MultiPlatform => AssertionChannels.MultiPlatform,
        LoginChannel.Oidc => AssertionChannels.Oidc,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown login channel."),
    };

    internal static bool TryParse(string? name, out LoginChannel channel)
    {
        foreach (var candidate in Enum.GetValues<LoginChannel>())
        {
            if (NameOf(candidate) == name)
            {
                channel = candidate;
                return true;
            }
        }

        channel = default;
        return false;
    }
}
