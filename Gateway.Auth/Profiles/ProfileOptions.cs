namespace Gateway.Auth.Profiles;

/// <summary>The <c>Profile</c> section: what a signed-in user may set through <c>POST /auth/profile</c>.</summary>
public sealed class ProfileOptions
{
    public const string SectionName = "Profile";

    /// <summary>
    /// Hosts an avatar URL may point to: where the app stores the image chooseAvatar gave it. Exact host names,
    /// compared case-insensitively; empty means avatar URLs are refused and only nicknames can be set.
    /// </summary>
    public List<string> AvatarHosts { get; set; } = [];

    /// <summary>Longest nickname, in Unicode code points (an emoji counts once), at most 100 (the column's size).</summary>
    public int MaxNicknameLength { get; set; } = 32;
}
