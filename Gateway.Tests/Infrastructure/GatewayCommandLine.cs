namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The built gateway run as an operator runs it, <c>dotnet Gateway.dll ...</c> in a process of its own, for what
/// only a process shows: exit codes, signals, the console log.
/// </summary>
public static class GatewayCommandLine
{
    /// <summary>The gateway's build output of the same configuration and framework as the tests.</summary>
    public static string Dll { get; } = FindDll();

    public static ChildProcess Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var all = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return ChildProcess.Start("dotnet", [Dll, .. arguments], Path.GetDirectoryName(Dll)!, all);
    }

    /// <summary>Runs the gateway to its exit (bounded) and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        using var gateway = Start(arguments, environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await gateway.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The gateway did not exit within 90 s:\n{gateway.Output}");
        }

        return (gateway.ExitCode, gateway.Output);
    }

    private static string FindDll()
    {
        // The tests run from Gateway.Tests/bin/{Configuration}/{tfm}/: the gateway is in Gateway/bin/{Configuration}/{tfm}/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var dll = Path.Combine(Repository.Root, "Gateway", "bin", configuration, framework, "Gateway.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the solution first: {dll} is missing.", dll);
    }
}
