using System.Data.Common;
using System.Net.Sockets;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.Storage.Relational;

namespace Gateway.Hosting;

/// <summary>
/// What the process does with an exception that stops start-up: logs it through the logger as one entry and
/// returns an exit code (<see cref="ExitCodes"/>) instead of letting the runtime abort (rc 134). A configuration
/// error is the list of every mistake without a stack; an unreachable dependency is named (host:port) with its
/// stack once; anything else is logged with its stack.
/// </summary>
internal static partial class StartupFailure
{
    /// <summary>
    /// Only the gateway's own process reports and exits: a host that runs Program in-process (the tests'
    /// WebApplicationFactory, an embedding application) gets the exception.
    /// </summary>
    public static bool IsReported(Exception exception) =>
        exception is not HostAbortedException && System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    public static int Report(Exception exception, IServiceProvider? services)
    {
        using var ownFactory = services is null ? LoggerFactory.Create(logging => logging.AddConsole()) : null;
        var logger = (services?.GetService<ILoggerFactory>() ?? ownFactory!).CreateLogger("Gateway.Startup");
        switch (Find<GatewayConfigurationException>(exception))
        {
            case { } configuration:
                ConfigurationInvalid(logger, configuration.Message);
                return ExitCodes.Configuration;
        }

        if (FindDependency(exception) is { } dependency)
        {
            // Its stack was logged once where the connection failed (and by the host); the verdict names it only.
            DependencyUnavailable(logger, dependency.Message);
            return ExitCodes.DependencyUnavailable;
        }

        Failed(logger, exception.Message, exception);
        return ExitCodes.Other;
    }

    private static Exception? FindDependency(Exception exception) =>
        (Exception?)Find<RelationalStoreUnavailableException>(exception)
        ?? (Exception?)Find<EphemeralStoreUnavailableException>(exception)
        ?? (Exception?)Find<DbException>(exception)
        ?? Find<SocketException>(exception);

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        if (exception is T found)
        {
            return found;
        }

        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(exception.InnerException is { } one ? [one] : []);
        return inner.Select(Find<T>).FirstOrDefault(e => e is not null);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Critical, Message = "The gateway did not start. {ErrorMessage}")]
    private static partial void ConfigurationInvalid(ILogger logger, string errorMessage);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Critical, Message = "The gateway did not start: a dependency is unreachable. {ErrorMessage}")]
    private static partial void DependencyUnavailable(ILogger logger, string errorMessage);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Critical, Message = "The gateway did not start: {ErrorMessage}")]
    private static partial void Failed(ILogger logger, string errorMessage, Exception exception);
}
