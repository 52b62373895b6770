using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Docs;

/// <summary>
/// The README and every top-level docs/*.md exist in English (NAME.md) and Simplified Chinese (NAME.zh-CN.md) with
/// the same outline, open with a switch to the other language, and link only to files that exist — the Chinese ones
/// to the Chinese docs. The file set is discovered, so a doc added later is held to the same rules.
/// </summary>
public sealed class DocumentationLanguageTests
{
    private const string ChineseSuffix = ".zh-CN.md";

    /// <summary>How far from the top the language switch may sit: after the title, before any prose.</summary>
    private const int LanguageSwitchLines = 3;

    [Fact]
    public void EveryEnglishDocHasAChineseCounterpart()
    {
        var missing = EnglishDocs().Where(english => !File.Exists(ChineseOf(english))).Select(Relative).ToList();

        Assert.True(missing.Count == 0, "No " + ChineseSuffix + " counterpart for: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryChineseDocHasAnEnglishOriginal()
    {
        var orphans = ChineseDocs().Where(chinese => !File.Exists(EnglishOf(chinese))).Select(Relative).ToList();

        Assert.True(orphans.Count == 0, "No English original for: " + string.Join(", ", orphans));
    }

    [Fact]
    public void EachTranslationHasAsManyHeadingsPerLevelAsItsOriginal()
    {
        var differences = new List<string>();
        foreach (var (english, chinese) in Pairs())
        {
            var englishCounts = Outline(english).HeadingCountsPerLevel();
            var chineseCounts = Outline(chinese).HeadingCountsPerLevel();
            if (englishCounts != chineseCounts)
            {
                differences.Add($"{Relative(english)} has {englishCounts}, {Relative(chinese)} has {chineseCounts}");
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void EachDocOpensWithALinkToTheOtherLanguage()
    {
        var missing = new List<string>();
        foreach (var (english, chinese) in Pairs())
        {
            if (!OpensWithLinkTo(english, chinese))
            {
                missing.Add($"{Relative(english)} does not link to {Path.GetFileName(chinese)} in its first {LanguageSwitchLines} lines");
            }

            if (!OpensWithLinkTo(chinese, english))
            {
                missing.Add($"{Relative(chinese)} does not link to {Path.GetFileName(english)} in its first {LanguageSwitchLines} lines");
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void EveryRelativeLinkPointsToAnExistingFile()
    {
        var broken = new List<string>();
        foreach (var doc in EnglishDocs().Concat(ChineseDocs()))
        {
            foreach (var target in Outline(doc).Links)
            {
                var path = LocalPath(doc, target);
                if (path is not null && !File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{Relative(doc)} → {target}");
                }
            }
        }

        Assert.True(broken.Count == 0, "Links to missing files:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void ChineseDocsLinkToTheChineseVersionOfOtherDocs()
    {
        var english = new List<string>();
        foreach (var chinese in ChineseDocs())
        {
            foreach (var target in Outline(chinese).Links)
            {
                var path = LocalPath(chinese, target);
                if (path is not null && IsEnglishDoc(path) && File.Exists(ChineseOf(path))
                    && !SamePath(path, EnglishOf(chinese)))
                {
                    english.Add($"{Relative(chinese)} → {target} (use {Path.GetFileName(ChineseOf(path))})");
                }
            }
        }

        Assert.True(english.Count == 0, "Chinese docs linking to English docs that have a Chinese version:\n" + string.Join("\n", english));
    }

    [Fact]
    public void TheOutlineIgnoresShellCommentsInCodeAndCountsHeadingsPerLevel()
    {
        var original = MarkdownOutline.Parse("# Title\n\n## One\n\n```bash\n# a comment\n```\n\n### Detail\n\n## Two\n[link](other.md#part)\n");
        var translationMissingAHeading = MarkdownOutline.Parse("# 标题\n\n## 一\n\n```bash\n# 注释\n## 注释\n```\n\n## 二\n");

        Assert.Equal("h1×1 h2×2 h3×1", original.HeadingCountsPerLevel());
        Assert.Equal("h1×1 h2×2", translationMissingAHeading.HeadingCountsPerLevel());
        Assert.Equal(["other.md#part"], original.Links);
    }

    private static string DocsFolder => Path.Combine(Repository.Root, "docs");

    /// <summary>README.md at the root and every docs/*.md that is not a translation.</summary>
    private static IEnumerable<string> EnglishDocs() => AllDocs().Where(IsEnglishDoc);

    private static IEnumerable<string> ChineseDocs() => AllDocs().Where(doc => doc.EndsWith(ChineseSuffix, StringComparison.Ordinal));

    private static IEnumerable<string> AllDocs() =>
        Directory.EnumerateFiles(Repository.Root, "README*.md")
            .Concat(Directory.EnumerateFiles(DocsFolder, "*.md"))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<(string English, string Chinese)> Pairs() =>
        EnglishDocs().Where(english => File.Exists(ChineseOf(english))).Select(english => (english, ChineseOf(english)));

    private static bool IsEnglishDoc(string path) =>
        path.EndsWith(".md", StringComparison.Ordinal) && !path.EndsWith(ChineseSuffix, StringComparison.Ordinal);

    private static string ChineseOf(string english) => english[..^".md".Length] + ChineseSuffix;

    private static string EnglishOf(string chinese) => chinese[..^ChineseSuffix.Length] + ".md";

    private static MarkdownOutline Outline(string path) => MarkdownOutline.Parse(File.ReadAllText(path));

    private static bool OpensWithLinkTo(string doc, string other) =>
        Outline(doc).Lines.Take(LanguageSwitchLines).Any(line => MarkdownOutline.Parse(line).Links
            .Select(target => LocalPath(doc, target)).Any(path => path is not null && SamePath(path, other)));

    /// <summary>The file a relative link points at, or null for web links and anchors within the same page.</summary>
    private static string? LocalPath(string doc, string target)
    {
        if (target.StartsWith('#') || HasScheme(target))
        {
            return null;
        }

        var withoutFragment = target.Split('#', '?')[0];
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, Uri.UnescapeDataString(withoutFragment)));
    }

    private static bool HasScheme(string target) =>
        target.IndexOf(':') is var colon and > 0 && target[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');

    private static bool SamePath(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(Repository.Root, path);
}
