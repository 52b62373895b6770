using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Docs;

/// <summary>
/// The habits .editorconfig cannot express. Everything here runs on ASP.NET Core, which has no synchronization
/// context, so the code never writes ConfigureAwait: one rule everywhere instead of a mix.
/// </summary>
public sealed class HouseStyleTests
{
    // Split so that this file does not match itself.
    private const string ConfigureAwaitCall = ".ConfigureAwait" + "(";

    [Fact]
    public void NoSourceFileCallsConfigureAwait()
    {
        var offenders = Directory.EnumerateFiles(Repository.Root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains(ConfigureAwaitCall, StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(Repository.Root, path))
            .ToList();

        Assert.True(offenders.Count == 0, "ConfigureAwait is not used in this code base (.editorconfig): " + string.Join(", ", offenders));
    }
}
