using System.Globalization;
using System.Text;
using Gateway.Auth.Identity;
using Gateway.Auth.Login;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Profiles;

/// <summary>
/// Checks what the chooseAvatar button and the type="nickname" input gave the app before it is stored as the
/// person's own choice. Every refusal says what to change; nothing is silently trimmed or rewritten.
/// </summary>
internal static class ProfileFillIn
{
    public static string? Nickname(string? value, ProfileOptions options)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Trim() != value || value.Length == 0)
        {
            throw Invalid("nickname must not be blank or start or end with spaces.");
        }

        var length = 0;
        foreach (var rune in EnumerateRunes(value))
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                || rune == Rune.ReplacementChar)
            {
                throw Invalid("nickname contains control characters, line breaks or broken Unicode.");
            }

            length++;
        }

        if (length > options.MaxNicknameLength)
        {
            throw Invalid($"nickname is longer than {options.MaxNicknameLength} characters.");
        }

        if (ProfilePlaceholders.IsPlaceholderNickname(value))
        {
            throw Invalid($"\"{ProfilePlaceholders.AnonymousNickname}\" is WeChat's placeholder, not a nickname: choose another one.");
        }

        return value;
    }

    public static string? AvatarUrl(string? value, ProfileOptions options)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > IdentityLimits.MaxAvatarUrlLength
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Fragment)
            || value.Any(char.IsControl))
        {
            throw Invalid($"avatarUrl must be an https URL of at most {IdentityLimits.MaxAvatarUrlLength} characters, without user info or fragment.");
        }

        if (!options.AvatarHosts.Any(host => string.Equals(host, uri.IdnHost, StringComparison.OrdinalIgnoreCase)))
        {
            throw Invalid("avatarUrl must point to the app's own image storage: upload the chosen avatar there first (Profile:AvatarHosts).");
        }

        return ProfilePlaceholders.IsPlaceholderAvatar(value)
            ? throw Invalid("avatarUrl is WeChat's placeholder avatar: let the user choose one.")
            : value;
    }

    /// <summary>Runes, with a lone surrogate reported as one (Rune.DecodeFromUtf16 answers ReplacementChar for it).</summary>
    private static IEnumerable<Rune> EnumerateRunes(string value)
    {
        for (var i = 0; i < value.Length;)
        {
            Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var consumed);
            yield return rune;
            i += consumed;
        }
    }

    private static LoginException Invalid(string message) => new(StatusCodes.Status400BadRequest, LoginErrorCodes.InvalidProfile, message);
}
