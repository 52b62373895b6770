namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway as its own process on the embedded default (SQLite file, in-memory store, WeChat sandbox, in-process
/// demo downstream) — what a new user gets from the README's run command — moved to free loopback ports so tests
/// run anywhere. Stopped by PID on dispose.
/// </summary>
public sealed class EmbeddedGateway : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("gateway-embedded-data-");
    private readonly bool _stateInWorkingDirectory;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private ChildProcess? _process;

    private EmbeddedGateway(bool stateInWorkingDirectory = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        _stateInWorkingDirectory = stateInWorkingDirectory;
        _settings = settings ?? new Dictionary<string, string>();
    }

    public int PublicPort { get; } = FreePort.Next();

    public int ManagementPort { get; } = FreePort.Next();

    public int DemoPort { get; } = FreePort.Next();

    public int OpenIdSandboxPort { get; } = FreePort.Next();

    public Uri PublicUrl => new($"http://127.0.0.1:{PublicPort}");

    public string Output => _process?.Output ?? "";

    /// <summary>
    /// <c>dotnet run --project Gateway</c>, exactly as the README says (without rebuilding), with
    /// <paramref name="settings"/> (configuration keys such as <c>Login:Pages:ErrorRedirectUrl</c>) as an operator's
    /// environment variables.
    /// </summary>
    public static Task<EmbeddedGateway> DotnetRunAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(new EmbeddedGateway(settings: settings), gateway => ChildProcess.Start(
            "dotnet", ["run", "--no-build", "--project", Path.Combine(Repository.Root, "Gateway")], Repository.Root, gateway.Environment()));

    /// <summary>
    /// <c>dotnet run</c> in <paramref name="workingDirectory"/> with the shipped paths untouched, so the run keeps its
    /// state where a person's would: <c>data/</c> under that folder.
    /// </summary>
    public static Task<EmbeddedGateway> DotnetRunKeepingStateInAsync(string workingDirectory) =>
        StartAsync(new EmbeddedGateway(stateInWorkingDirectory: true), gateway => ChildProcess.Start(
            "dotnet", ["run", "--no-build", "--project", Path.Combine(Repository.Root, "Gateway")], workingDirectory, gateway.Environment()));

    /// <summary>A published gateway (<c>dotnet Gateway.dll</c>) started from another working directory.</summary>
    public static Task<EmbeddedGateway> PublishedAsync(string gatewayDll, string workingDirectory) =>
        StartAsync(new EmbeddedGateway(), gateway =>
        {
            var environment = gateway.Environment();
            environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            return ChildProcess.Start("dotnet", [gatewayDll], workingDirectory, environment);
        });

    public void Dispose()
    {
        _process?.Dispose();
        _data.Delete(recursive: true);
    }

    private static async Task<EmbeddedGateway> StartAsync(EmbeddedGateway gateway, Func<EmbeddedGateway, ChildProcess> start)
    {
        try
        {
            gateway._process = start(gateway);
            using var client = new HttpClient { BaseAddress = gateway.PublicUrl };
            var up = await Eventually.TrueAsync(
                async () => !gateway._process.HasExited && (await client.GetAsync("/healthz")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
            return up ? gateway : throw new InvalidOperationException("The gateway did not come up:\n" + gateway.Output);
        }
        catch
        {
            gateway.Dispose();
            throw;
        }
    }

    private Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Public__Url"] = PublicUrl.ToString(),
            ["Kestrel__Endpoints__Management__Url"] = $"http://127.0.0.1:{ManagementPort}",
            ["DemoDownstream__Url"] = $"http://127.0.0.1:{DemoPort}",
            ["ReverseProxy__Clusters__demo__Destinations__demo-1__Address"] = $"http://127.0.0.1:{DemoPort}/",
            ["Login__PublicBaseUrl"] = PublicUrl.ToString().TrimEnd('/'),
            ["OpenIdSandbox__Url"] = $"http://127.0.0.1:{OpenIdSandboxPort}",
            ["Oidc__Providers__sandbox__Authority"] = $"http://127.0.0.1:{OpenIdSandboxPort}/",
        };
        if (!_stateInWorkingDirectory)
        {
            environment["Storage__Relational__ConnectionString"] = $"Data Source={Path.Combine(_data.FullName, "gateway.db")}";
            environment["Signing__DevelopmentKeysFile"] = Path.Combine(_data.FullName, "signing-keys.json");
        }

        foreach (var (key, value) in _settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }
}
