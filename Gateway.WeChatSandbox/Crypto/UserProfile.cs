using System.Text;

namespace Gateway.WeChatSandbox;

/// <summary>
/// The user data a mini program receives, serialised the way WeChat does it: compact JSON with non-ASCII text
/// (Chinese, emoji) left as UTF-8 rather than \u-escaped, so rawData and its signature look like the real thing.
/// On <see cref="SandboxBehaviour.WeChat2026"/> the profile is anonymous; openId and unionId are real either way.
/// </summary>
internal sealed record UserProfile(SandboxUser User, string OpenId, string? UnionId, SandboxBehaviour Behaviour)
{
    public string RawData() => new StringBuilder("{").Append(ProfileFields()).Append('}').ToString();

    public string Plaintext(string appId, long timestamp)
    {
        var json = new StringBuilder("{\"openId\":").Append(Quote(OpenId)).Append(',').Append(ProfileFields());
        if (UnionId is not null)
        {
            json.Append(",\"unionId\":").Append(Quote(UnionId));
        }

        return json.Append(",\"watermark\":{\"timestamp\":").Append(timestamp)
            .Append(",\"appid\":").Append(Quote(appId)).Append("}}").ToString();
    }

    private string ProfileFields() => Behaviour == SandboxBehaviour.Legacy
        ? $"\"nickName\":{Quote(User.Nickname)},\"gender\":{User.Sex},\"language\":{Quote(User.Language)}," +
          $"\"city\":{Quote(User.City)},\"province\":{Quote(User.Province)},\"country\":{Quote(User.Country)}," +
          $"\"avatarUrl\":{Quote(User.HeadImgUrl)}"
        : $"\"nickName\":{Quote(AnonymousProfile.Nickname)},\"gender\":0,\"language\":\"\",\"city\":\"\",\"province\":\"\",\"country\":\"\"," +
          $"\"avatarUrl\":{Quote(AnonymousProfile.AvatarUrl)}";

    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append($"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
