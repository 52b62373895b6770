using System.Text.RegularExpressions;

namespace Gateway.Tests.Docs;

/// <summary>
/// The parts of a Markdown file the documentation tests compare: its ATX headings and its link targets. Fenced code
/// is skipped, because shell comments (<c># Run every test</c>) and JSON brackets inside it are not Markdown.
/// </summary>
public sealed partial class MarkdownOutline
{
    private MarkdownOutline(IReadOnlyList<(int Level, string Text)> headings, IReadOnlyList<string> links, IReadOnlyList<string> lines)
    {
        Headings = headings;
        Links = links;
        Lines = lines;
    }

    public IReadOnlyList<(int Level, string Text)> Headings { get; }

    /// <summary>Every link target, inline (<c>[text](target)</c>) or by reference (<c>[label]: target</c>).</summary>
    public IReadOnlyList<string> Links { get; }

    /// <summary>The file's lines, code included.</summary>
    public IReadOnlyList<string> Lines { get; }

    public static MarkdownOutline Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var headings = new List<(int, string)>();
        var links = new List<string>();
        string? fence = null;
        foreach (var line in lines)
        {
            var fenceMatch = Fence().Match(line);
            if (fence is null && fenceMatch.Success)
            {
                fence = fenceMatch.Groups["fence"].Value;
                continue;
            }

            if (fence is not null)
            {
                if (fenceMatch.Success && fenceMatch.Groups["fence"].Value.StartsWith(fence, StringComparison.Ordinal)
                    && fenceMatch.Groups["info"].Value.Length == 0)
                {
                    fence = null;
                }

                continue;
            }

            var heading = Heading().Match(line);
            if (heading.Success)
            {
                headings.Add((heading.Groups["marks"].Length, heading.Groups["text"].Value.Trim()));
            }

            var prose = InlineCode().Replace(line, string.Empty);
            links.AddRange(InlineLink().Matches(prose).Select(match => match.Groups["target"].Value));
            var reference = ReferenceLink().Match(prose);
            if (reference.Success)
            {
                links.Add(reference.Groups["target"].Value);
            }
        }

        return new MarkdownOutline(headings, links, lines);
    }

    /// <summary>How many headings the file has at each level, e.g. "h1×1 h2×12 h3×5".</summary>
    public string HeadingCountsPerLevel() =>
        string.Join(' ', Headings.GroupBy(heading => heading.Level).OrderBy(group => group.Key)
            .Select(group => $"h{group.Key}×{group.Count()}"));

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})\s*(?<info>\S*)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^ {0,3}(?<marks>#{1,6})(?:[ \t]+(?<text>.*?))?[ \t]*#*[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?")]
    private static partial Regex ReferenceLink();
}
