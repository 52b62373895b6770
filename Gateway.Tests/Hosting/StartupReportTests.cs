using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// A gateway process that cannot start says why in one logged report and exits with a documented code
/// (2 configuration, 3 dependency), never an abort (rc 134).
/// </summary>
public sealed class StartupReportTests
{
    [Fact]
    public async Task SeveralMistakesAreOneLoggedListNamingEachAndExitCode2()
    {
        var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "requried"), new TestRoute("health", "/healthz"));
        var (exitCode, output) = await GatewayCommandLine.RunAsync([], GatewayProcessSettings.Environment(new Dictionary<string, string>
        {
            ["Gateway:Proxy:ConfigFile"] = yarp,
            // Does not bind (a word for a number): one more entry, the others are still collected.
            ["Sessions:IdleTimeout"] = "half an hour",
            ["Gateway:Shutdown:DrainSeconds"] = "-1",
            ["WeChatSandbox:Enabled"] = "true",
        }));

        Assert.Equal(2, exitCode);
        Assert.Equal(1, Occurrences(output, "Gateway.Startup[9001]"));
        string[] named =
        [
            "Storage:Relational:ConnectionString", "Storage:Ephemeral:Redis", "Signing needs at least one key", "Management:ApiKey",
            "'Sessions:IdleTimeout'", "Gateway:Shutdown:DrainSeconds", "WeChatSandbox:Enabled", "Route 'orders' has AuthorizationPolicy 'requried'",
        ];
        Assert.All(named, setting => Assert.Contains(setting, output));
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public async Task AValueThatDoesNotConvertDoesNotHideTheOtherMistakesOfItsSection()
    {
        var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "required"));
        var settings = GatewayProcessSettings.Valid("Server=127.0.0.1;Port=9;Database=x;User=x;Password=x", yarp, FreePort.Next(), FreePort.Next());
        // In one section (Management): a word for a number and the required key missing; in another, a value out of range.
        settings["Management__FailedKeyLimit"] = "ten";
        settings.Remove("Management__ApiKey");
        settings["Gateway__Shutdown__DrainSeconds"] = "-1";
        // A section read while services are registered (the OpenTelemetry providers are built from it) is listed too.
        settings["Telemetry__Otlp__Timeout"] = "soon";

        var (exitCode, output) = await GatewayCommandLine.RunAsync([], settings);

        Assert.Equal(2, exitCode);
        Assert.Equal(1, Occurrences(output, "Gateway.Startup[9001]"));
        Assert.Contains("4 error(s)", output);
        Assert.Contains("'Management:FailedKeyLimit' to type 'System.Int32'", output);
        Assert.Contains("'Telemetry:Otlp:Timeout' to type 'System.TimeSpan'", output);
        Assert.Contains("Management:ApiKey is required", output);
        Assert.Contains("Gateway:Shutdown:DrainSeconds", output);
        // Nothing spurious: the hidden value falls back to its default, and the settings set correctly are not named.
        Assert.DoesNotContain("Management:FailedKeyLimit must be", output);
        Assert.DoesNotContain("Management:FailedKeyWindow", output);
    }

    [Fact]
    public async Task RouteMistakesAreListedTogetherWithTheSettingsOnes()
    {
        var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "requried"), new TestRoute("health", "/healthz", "anonymous"));
        var settings = GatewayProcessSettings.Valid("Server=127.0.0.1;Port=9;Database=x;User=x;Password=x", yarp, FreePort.Next(), FreePort.Next());
        settings["Management__ApiKey"] = "short";

        var (exitCode, output) = await GatewayCommandLine.RunAsync([], settings);

        Assert.Equal(2, exitCode);
        string[] listed = ["Route 'orders' has AuthorizationPolicy 'requried'", "Route 'health' matches '/healthz'", "Management:ApiKey", "3 error(s)"];
        Assert.All(listed, entry => Assert.Contains(entry, output));
    }

    [Fact]
    public async Task AnUnreachableDatabaseIsNamedByHostAndPortWithItsStackOnceAndExitCode3()
    {
        var port = FreePort.Next();
        var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "required"));
        var (exitCode, output) = await GatewayCommandLine.RunAsync([], GatewayProcessSettings.Valid(
            $"Server=127.0.0.1;Port={port};Database=gateway;User=gateway;Password=secret-password", yarp, FreePort.Next(), FreePort.Next()));

        Assert.Equal(3, exitCode);
        Assert.Contains($"Cannot connect to the MySql database at 127.0.0.1:{port}", output);
        Assert.Equal(1, Occurrences(output, "Gateway.Startup[9002]"));
        Assert.Equal(1, Occurrences(output, "at MySqlConnector.MySqlConnection.OpenAsync("));
        Assert.DoesNotContain("secret-password", output);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
