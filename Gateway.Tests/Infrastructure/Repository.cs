namespace Gateway.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The checkout's root folder (the one holding Gateway.sln).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln was not found above " + AppContext.BaseDirectory);
    }
}
