namespace Gateway.WeChatSandbox;

/// <summary>
/// Exactly what wx.getUserProfile hands a mini program: the profile as rawData (signed with the session_key) and
/// the full user data (with openId, unionId and the watermark) encrypted under the session_key.
/// </summary>
public sealed record EncryptedUserData(string EncryptedData, string Iv, string RawData, string Signature);
