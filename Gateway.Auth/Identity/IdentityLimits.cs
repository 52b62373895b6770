namespace Gateway.Auth.Identity;

/// <summary>
/// Input rules shared by resolution and management lookups. WeChat identifiers are short base64url-like tokens;
/// anything else is refused before it reaches SQL, and the limits match the column sizes.
/// </summary>
internal static class IdentityLimits
{
    public const int MaxAppIdLength = 64;
    public const int MaxOpenIdLength = 128;
    public const int MaxUnionIdLength = 128;
    public const int MaxNicknameLength = 100;
    public const int MaxAvatarUrlLength = 1024;
    public const int MaxPhoneLength = 32;

    public static void ValidatePhone(string phone)
    {
        var digits = phone.StartsWith('+') ? phone.AsSpan(1) : phone.AsSpan();
        if (digits.IsEmpty || phone.Length > MaxPhoneLength || digits.ContainsAnyExceptInRange('0', '9'))
        {
            throw Invalid($"Phone must be 1 to {MaxPhoneLength} characters: digits with an optional leading '+'.");
        }
    }

    public static void ValidateLogin(LoginIdentity login)
    {
        ArgumentNullException.ThrowIfNull(login);
        RequireIdentifier("AppId", login.AppId.Value, MaxAppIdLength);
        RequireIdentifier("OpenId", login.OpenId.Value, MaxOpenIdLength);
        if (login.UnionId is { } unionId)
        {
            RequireIdentifier("UnionId", unionId.Value, MaxUnionIdLength);
            if (string.Equals(unionId.Value, login.OpenId.Value, StringComparison.Ordinal))
            {
                throw Invalid("UnionId equals OpenId: an openid must never stand in for a unionid.");
            }
        }

        if (!Enum.IsDefined(login.Channel))
        {
            throw Invalid($"Channel {(int)login.Channel} is not a known login channel.");
        }

        if (login.Profile is { } profile)
        {
            ValidateText("Nickname", profile.Nickname, MaxNicknameLength);
            ValidateText("AvatarUrl", profile.AvatarUrl, MaxAvatarUrlLength);
            if (profile.AvatarUrl is { Length: > 0 } url
                && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            {
                throw Invalid("AvatarUrl must be an absolute http or https URL.");
            }
        }
    }

    public static void RequireIdentifier(string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid($"{field} is required.");
        }

        if (value.Length > maxLength)
        {
            throw Invalid($"{field} is longer than {maxLength} characters.");
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw Invalid($"{field} may contain only ASCII letters, digits, '-' and '_'.");
            }
        }
    }

    private static void ValidateText(string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            throw Invalid($"{field} is longer than {maxLength} characters.");
        }

        // A lone surrogate cannot be stored as utf8mb4 (the driver would silently replace it), and control
        // characters (NUL above all) are cut or mangled by some engines: refuse rather than store something else.
        if (HasLoneSurrogate(value) || value.Any(char.IsControl))
        {
            throw Invalid($"{field} is not valid text: it contains control characters or broken Unicode.");
        }
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static IdentityResolutionException Invalid(string message) => new(IdentityErrorCodes.InvalidIdentity, message);
}
