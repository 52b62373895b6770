namespace Gateway.Auth.WeChat;

/// <summary>Why encrypted Mini Program user data was refused; each tells the client something different.</summary>
internal enum UserDataError
{
    /// <summary>Missing, oversized or non-base64 input: the client sent something malformed.</summary>
    BadInput,

    /// <summary>Padding, UTF-8 or JSON failed: encrypted under another session_key (rotated by a later wx.login); log in again.</summary>
    DecryptFailed,

    /// <summary>The data decrypted but was issued for another app (or another user of this session).</summary>
    WatermarkMismatch,

    /// <summary>sha1(rawData + session_key) does not match the signature the client sent.</summary>
    SignatureInvalid,
}

internal sealed class UserDataException(UserDataError error, string message) : Exception(message)
{
    public UserDataError Error { get; } = error;
}
