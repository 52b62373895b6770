using System.Globalization;
using System.Text.Json;

namespace Gateway.Auth.WeChat;

/// <summary>Reads WeChat's JSON leniently where WeChat is inconsistent (numbers sent as strings and back).</summary>
internal static class WeChatJson
{
    public static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    public static int? Int(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>errcode absent or 0 means success; an errcode that is neither a number nor a numeric string is reported as such.</summary>
    public static bool TryGetErrcode(JsonElement root, out int errcode, out bool malformed)
    {
        errcode = 0;
        malformed = false;
        if (!root.TryGetProperty("errcode", out _))
        {
            return false;
        }

        if (Int(root, "errcode") is { } code)
        {
            errcode = code;
            return code != 0;
        }

        malformed = true;
        return true;
    }
}
