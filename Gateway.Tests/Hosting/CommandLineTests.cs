using Gateway.Tests.Infrastructure;
using MySqlConnector;

namespace Gateway.Tests.Hosting;

/// <summary>The gateway's commands, run as processes the way an operator (or a container HEALTHCHECK) runs them.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task HelpListsTheCommandsAndTheExitCodes(string argument)
    {
        var (exitCode, output) = await GatewayCommandLine.RunAsync([argument]);

        Assert.Equal(0, exitCode);
        foreach (var command in new[] { "check-config", "migrate", "print-audience-key", "healthcheck", "--version" })
        {
            Assert.Contains(command, output);
        }

        Assert.Contains("3  a dependency", output);
    }

    [Fact]
    public async Task VersionPrintsTheVersion()
    {
        var (exitCode, output) = await GatewayCommandLine.RunAsync(["--version"]);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^wechat-gateway \d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public async Task AnUnknownCommandIsRefusedWithExitCode2()
    {
        var (exitCode, output) = await GatewayCommandLine.RunAsync(["migrat"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown command 'migrat'", output);
    }

    [Fact]
    public async Task CheckConfigAcceptsAValidConfigurationWithoutConnectingToAnything()
    {
        // Nothing listens on the database port: check-config must not need it.
        var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "required"));
        var (exitCode, output) = await GatewayCommandLine.RunAsync(["check-config"], GatewayProcessSettings.Valid(
            $"Server=127.0.0.1;Port={FreePort.Next()};Database=x;User=x;Password=x", yarp, FreePort.Next(), FreePort.Next()));

        Assert.Equal(0, exitCode);
        Assert.Contains("The configuration is valid (environment Production)", output);
    }

    [Fact]
    public async Task CheckConfigListsEveryMistakeWithExitCode2()
    {
        var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "requried"));
        var settings = GatewayProcessSettings.Valid("Server=127.0.0.1;Database=x;User=x;Password=x", yarp, FreePort.Next(), FreePort.Next());
        settings["Storage__Relational__Provider"] = "Oracle";

        var (exitCode, output) = await GatewayCommandLine.RunAsync(["check-config"], settings);

        Assert.Equal(2, exitCode);
        Assert.Contains("Storage:Relational:Provider", output);
        Assert.Contains("Route 'orders' has AuthorizationPolicy 'requried'", output);
        Assert.DoesNotContain("The configuration is valid", output);
    }

    [Fact]
    public async Task PrintAudienceKeyRefusesAnAudienceNoClusterHas()
    {
        var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "required"));
        var settings = GatewayProcessSettings.Valid("Server=127.0.0.1;Database=x;User=x;Password=x", yarp, FreePort.Next(), FreePort.Next());

        var (refused, refusal) = await GatewayCommandLine.RunAsync(["print-audience-key", "orderz"], settings);
        var (printed, keys) = await GatewayCommandLine.RunAsync(["print-audience-key", "backend"], settings);

        Assert.Equal(2, refused);
        Assert.Contains("no cluster in the proxy configuration", refusal);
        Assert.Contains("Clusters: backend", refusal);
        Assert.DoesNotContain("IdentityAssertion:Hs256Keys", refusal);
        Assert.Equal(0, printed);
        Assert.Contains("IdentityAssertion:Audience=backend", keys);
    }

    [Fact]
    public async Task MigrateAppliesTheSchemaAndExits()
    {
        var database = await TestServers.CreateMySqlDatabaseAsync();
        try
        {
            var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("orders", "/orders/{**rest}", "required"));
            var settings = GatewayProcessSettings.Valid(database, yarp, FreePort.Next(), FreePort.Next());

            var (first, output) = await GatewayCommandLine.RunAsync(["migrate"], settings);
            var (second, again) = await GatewayCommandLine.RunAsync(["migrate"], settings);

            var scripts = Directory.GetFiles(Path.Combine(Repository.Root, "Gateway.Auth", "Storage", "Relational", "Migrations", "MySql"), "*.sql").Length;
            Assert.True(first == 0, output);
            Assert.Contains($"The database schema is current ({scripts} script(s) applied now)", output);
            Assert.Equal(0, second);
            Assert.Contains("(0 script(s) applied now)", again);
            await using var connection = new MySqlConnection(database);
            await connection.OpenAsync();
            await using var command = new MySqlCommand("SELECT COUNT(*) FROM schema_version", connection);
            Assert.Equal(scripts, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await TestServers.DropMySqlDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task HealthcheckAsksReadinessAndFailsWhenNothingAnswers()
    {
        var (exitCode, output) = await GatewayCommandLine.RunAsync(["healthcheck", $"http://127.0.0.1:{FreePort.Next()}/readyz"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("/readyz", output);
    }
}
