namespace Gateway.Auth.Identity;

/// <summary>Where a stored profile value came from (persons.nickname_source, persons.avatar_source).</summary>
public static class ProfileSources
{
    public const string OfficialAccountUserInfo = "oa_userinfo";
    public const string WebsiteUserInfo = "web_userinfo";
    public const string MobileAppUserInfo = "app_userinfo";
    public const string MiniProgramUserData = "mp_userdata";
    public const string UserFillIn = "user_fill_in";

    /// <summary>The source of the profile a login of this channel carries.</summary>
    public static string Of(LoginChannel channel) => channel switch
    {
        LoginChannel.OfficialAccount => OfficialAccountUserInfo,
        LoginChannel.Website => WebsiteUserInfo,
        LoginChannel.MobileApp => MobileAppUserInfo,
        LoginChannel.MiniProgram => MiniProgramUserData,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "This channel's logins carry no profile."),
    };
}
