using System.Reflection;
using Gateway.Auth.Signing;
using Gateway.Auth.Storage.Relational;
using Gateway.Hosting;

namespace Gateway.Cli;

/// <summary>
/// The gateway's command line: with no command it serves; otherwise the first argument names what to do. Settings
/// (<c>--Section:Key=value</c>) may follow any command, as they may follow a plain start.
/// </summary>
internal static partial class GatewayCommands
{
    public const string CheckConfig = "check-config";
    public const string Migrate = "migrate";

    private static readonly string[] Known = [CheckConfig, Migrate, PrintAudienceKeyCommand.Name, HealthCheckCommand.Name, "help"];

    /// <summary>--help, --version and unknown commands: answered before any configuration is read.</summary>
    public static int? RunWithoutConfiguration(string[] args, TextWriter output)
    {
        switch (args)
        {
            case ["--help" or "-h" or "help", ..]:
                output.Write(Help);
                return ExitCodes.Success;
            case ["--version", ..]:
                output.WriteLine($"wechat-gateway {Version}");
                return ExitCodes.Success;
            case [var first, ..] when IsCommandWord(first) && !Known.Contains(first, StringComparer.Ordinal):
                output.WriteLine($"unknown command '{first}'. Commands: {string.Join(", ", Known)} (see --help).");
                return ExitCodes.Configuration;
            default:
                return null;
        }
    }

    /// <summary><c>check-config</c> and <c>migrate</c>, which need the built (and checked) application.</summary>
    public static async Task<int?> RunWithApplicationAsync(string[] args, WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Cli");
        switch (args)
        {
            case [CheckConfig, ..]:
                ConfigurationValid(logger, app.Environment.EnvironmentName);
                return ExitCodes.Success;
            case [Migrate, ..]:
                using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
                {
                    var applied = await RelationalStoreSchema.MigrateAsync(app.Services, timeout.Token);
                    Migrated(logger, applied);
                }

                return ExitCodes.Success;
            default:
                return null;
        }
    }

    private static string Version =>
        typeof(GatewayCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(GatewayCommands).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static string Help => $"""
        wechat-gateway {Version}: an authentication gateway for the WeChat ecosystem.

        Usage: Gateway [command] [--Section:Key=value ...]

        Commands:
          (none)                     serve: the public and management listeners
          check-config               validate the configuration (settings and yarp.json) without starting
          migrate                    apply the pending database schema scripts, then exit
          print-audience-key <id>    print the HS256 assertion keys for the cluster <id> of yarp.json
          healthcheck [url]          ask a running gateway's /readyz (default http://127.0.0.1:8080/readyz)
          --help                     this text
          --version                  the version

        Exit codes:
          0  success
          1  another failure (the log has the message and the stack)
          2  the configuration is invalid (the log lists every mistake) or the command line is wrong
          3  a dependency (the database or Redis) could not be reached

        Settings come from appsettings.json, appsettings.{"{Environment}"}.json, environment variables (Section__Key) and
        the command line; see README.md and docs/production.md.

        """;

    private static bool IsCommandWord(string argument) =>
        !argument.StartsWith('-') && !argument.StartsWith('/') && !argument.Contains('=', StringComparison.Ordinal);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "The configuration is valid (environment {EnvironmentName}).")]
    private static partial void ConfigurationValid(ILogger logger, string environmentName);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Information, Message = "The database schema is current ({Applied} script(s) applied now).")]
    private static partial void Migrated(ILogger logger, int applied);
}
