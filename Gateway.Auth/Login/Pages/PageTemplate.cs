using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Gateway.Auth.Login.Pages;

/// <summary>
/// An HTML page with <c>{{name}}</c> placeholders, each replaced by an HTML-encoded value, and one optional
/// section <c>{{#retry}}…{{/retry}}</c> kept only when the failed login can be retried. Nothing else is
/// interpreted, so a template cannot run code in the gateway.
/// </summary>
internal sealed partial class PageTemplate
{
    public static readonly IReadOnlyList<string> Placeholders = ["lang", "title", "message", "code", "retryUrl", "retryLabel", "codeLabel"];

    // Chinese stays readable in the page source; <, >, &, quotes and the rest are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly string _text;

    private PageTemplate(string text, string? styleHash)
    {
        _text = text;
        StyleHash = styleHash;
    }

    /// <summary>The CSP hash of the template's single inline <c>&lt;style&gt;</c>, for the built-in page.</summary>
    public string? StyleHash { get; }

    /// <summary>Parses a template; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static PageTemplate Parse(string text)
    {
        var flattened = RetrySection().Replace(text, "$1");
        if (flattened.Contains("{{#", StringComparison.Ordinal) || flattened.Contains("{{/", StringComparison.Ordinal))
        {
            throw new FormatException("the only section is {{#retry}}…{{/retry}}, opened and closed once, not nested");
        }

        foreach (Match placeholder in Placeholder().Matches(flattened))
        {
            var name = placeholder.Groups[1].Value;
            if (!Placeholders.Contains(name))
            {
                throw new FormatException($"unknown placeholder {{{{{name}}}}} (known: {string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"))})");
            }
        }

        var styles = Style().Matches(text);
        var hash = styles.Count == 1
            ? "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(styles[0].Groups[1].Value))) + "'"
            : null;
        return new PageTemplate(text, hash);
    }

    public string Render(IReadOnlyDictionary<string, string> values, bool retry)
    {
        var kept = RetrySection().Replace(_text, section => retry ? section.Groups[1].Value : "");
        return Placeholder().Replace(kept, placeholder => Encoder.Encode(values.GetValueOrDefault(placeholder.Groups[1].Value, "")));
    }

    [GeneratedRegex(@"\{\{([A-Za-z]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\{#retry\}\}(.*?)\{\{/retry\}\}", RegexOptions.Singleline)]
    private static partial Regex RetrySection();

    [GeneratedRegex(@"<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex Style();
}
