using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Gateway.WeChatSandbox;

/// <summary>
/// The frame shared by the consent page and its error page: a phone-width sheet in WeChat's colours, the sandbox
/// banner, and placeholder images drawn as inline SVG so the page never fetches anything from elsewhere.
/// </summary>
internal static class ConsentPageLayout
{
    public static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public const string Banner = "微信登录沙箱 · 仅供开发测试，并非微信官方页面";

    // WeChat's own avatar placeholders are flat colours; these are distinct enough to tell test users apart.
    private static readonly string[] Palette = ["#07c160", "#10aeff", "#fa9d3b", "#fa5151", "#6467f0", "#1485ee", "#91d300", "#576b95"];

    private const string Style = """
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;min-height:100vh;background:#ededed;color:#191919;font-size:16px;line-height:1.5;
          font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif;
          overflow-wrap:anywhere}
        .sandbox-banner{margin:0;padding:8px 16px;background:#fff3cd;color:#7a5b00;font-size:13px;text-align:center;border-bottom:1px solid #f0dc9c}
        .sheet{max-width:480px;margin:0 auto;padding:24px 20px 32px;background:#fff;min-height:calc(100vh - 38px)}
        .app{display:flex;align-items:center;gap:10px;margin-bottom:20px}
        .app svg,.app img{flex:none;border-radius:8px}
        .app h1{margin:0;font-size:17px;font-weight:600}
        h2{margin:0 0 8px;font-size:20px;font-weight:600}
        .scope{margin:0 0 8px;padding:0;list-style:none;color:#191919}
        .scope li::before{content:"";display:inline-block;width:6px;height:6px;margin:0 8px 2px 2px;border-radius:50%;background:#b2b2b2}
        .note{margin:0 0 16px;color:#7f7f7f;font-size:14px}
        .tag{display:inline-block;margin-left:6px;padding:0 6px;border-radius:4px;background:#f2f2f2;color:#7f7f7f;font-size:12px;font-weight:400;vertical-align:middle}
        .accounts{margin:24px 0 0;border-top:1px solid #e5e5e5}
        .accounts h3{margin:12px 0 4px;color:#7f7f7f;font-size:14px;font-weight:400}
        .accounts ul{margin:0;padding:0;list-style:none}
        .account{display:flex;align-items:center;gap:12px;padding:12px 0;border-bottom:1px solid #f0f0f0;color:inherit;text-decoration:none}
        .account svg{flex:none;border-radius:6px}
        .account .who{flex:1;min-width:0}
        .account .nickname{display:block;font-size:16px}
        .account small{color:#b2b2b2;font-size:12px}
        .account .mark{flex:none;width:20px;height:20px;border:1.5px solid #c7c7c7;border-radius:50%}
        .account.selected .mark{border:6px solid #07c160}
        .account:active{background:#f7f7f7}
        .actions{display:flex;gap:16px;justify-content:center;margin:32px 0 8px}
        .button{display:block;flex:1;max-width:184px;padding:10px 0;border-radius:8px;font-size:17px;font-weight:600;text-align:center;text-decoration:none}
        .refuse{background:#f2f2f2;color:#06ae56}
        .allow{background:#07c160;color:#fff}
        .allow-as{margin:0;color:#7f7f7f;font-size:13px;text-align:center}
        details{margin-top:28px;color:#7f7f7f;font-size:13px}
        details dl{margin:8px 0 0}
        details dt{margin-top:6px}
        details dd{margin:0}
        code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
        .error h2{color:#fa5151}
        """;

    public static StringBuilder Begin(string title) => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
        .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .Append("<title>").Append(Html.Encode(title)).Append(" · 微信登录沙箱</title>\n<style>\n").Append(Style).Append("</style></head><body>\n")
        .Append("<p class=\"sandbox-banner\" id=\"sandbox-banner\" role=\"note\">").Append(Banner).Append("</p>\n");

    public static string End() => "</body></html>\n";

    /// <summary>A square of the seed's colour with the label's first character: an app icon or an avatar.</summary>
    public static string Placeholder(string label, string seed, int size)
    {
        var text = label.Trim();
        var initial = text.Length == 0 ? "?" : StringInfo.GetNextTextElement(text);
        return $"<svg width=\"{size}\" height=\"{size}\" viewBox=\"0 0 40 40\" role=\"img\" aria-hidden=\"true\">" +
               $"<rect width=\"40\" height=\"40\" fill=\"{Palette[ColourIndex(seed)]}\"/>" +
               $"<text x=\"20\" y=\"27\" font-size=\"20\" text-anchor=\"middle\" fill=\"#fff\">{Html.Encode(initial)}</text></svg>";
    }

    // string.GetHashCode is randomised per process; a user should keep their colour across restarts.
    private static int ColourIndex(string seed)
    {
        var hash = 0u;
        foreach (var c in seed)
        {
            hash = (hash * 31) + c;
        }

        return (int)(hash % (uint)Palette.Length);
    }
}
