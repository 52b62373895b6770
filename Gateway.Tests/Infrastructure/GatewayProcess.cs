using Gateway.Tests.Signing;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway as an operator runs it on a server: <c>dotnet Gateway.dll</c> from the build output, in the Production
/// environment, configured through environment variables, on loopback ports of its own that stay the same across
/// restarts (a load balancer names them). Unlike <see cref="GatewayInstance"/> it can be killed or stopped like a
/// real process.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, string> _environment;
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-process-").FullName;
    private ChildProcess? _process;

    /// <param name="settings">Configuration keys (<c>Storage:Ephemeral:Redis</c>…) on top of the test defaults: the management key and the test signing keys.</param>
    public GatewayProcess(IReadOnlyDictionary<string, string> settings)
    {
        PublicUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        ManagementUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var all = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Kestrel:Endpoints:Public:Url"] = PublicUrl.ToString(),
            ["Kestrel:Endpoints:Management:Url"] = ManagementUrl.ToString(),
            ["Management:ApiKey"] = GatewayInstance.ManagementApiKey,
            ["WeChat:TestDeployment"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Signing:Hs256:ActiveKeyId"] = TestKeys.ActiveHs256Id,
            [$"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:Secret"] = TestKeys.ActiveHs256Secret,
            ["Signing:Es256:ActiveKeyId"] = TestKeys.Es256Id,
            [$"Signing:Es256:Keys:{TestKeys.Es256Id}:PrivateKeyPem"] = TestKeys.Es256PrivateKeyPem,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        _environment = all.ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);
        Public = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = PublicUrl };
    }

    public Uri PublicUrl { get; }

    public Uri ManagementUrl { get; }

    /// <summary>A client of this instance directly, past any load balancer.</summary>
    public HttpClient Public { get; }

    public string Output => _process?.Output ?? "";

    /// <summary>Starts the process and waits until <c>/readyz</c> answers 200 (its database and Redis are reachable).</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The gateway process is already running.");
        }

        _process?.Dispose();
        _process = ChildProcess.Start("dotnet", [GatewayCommandLine.Dll], _directory, _environment);
        var ready = await Eventually.TrueAsync(
            async () => !_process.HasExited && (await Public.GetAsync("/readyz")).IsSuccessStatusCode,
            StartTimeout, TimeSpan.FromMilliseconds(200));
        if (!ready)
        {
            throw new InvalidOperationException($"The gateway process on {PublicUrl} did not become ready:\n{Output}");
        }
    }

    /// <summary>SIGKILL: the instance dies mid-request, as in a crash or an out-of-memory kill.</summary>
    public Task KillAsync() => Running.KillAsync();

    /// <summary>SIGTERM and wait for the exit: the graceful stop of a deployment or a restart.</summary>
    public Task StopAsync() => Running.TerminateAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        Public.Dispose();
        await Task.Run(() => Directory.Delete(_directory, recursive: true));
    }

    private ChildProcess Running => _process is { HasExited: false } process
        ? process
        : throw new InvalidOperationException("The gateway process is not running.");
}
