using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Health;

/// <summary>Settings under <c>Gateway:Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Gateway:Shutdown";

    /// <summary>
    /// Seconds between SIGTERM and Kestrel stopping: <c>/readyz</c> answers 503 meanwhile so the load balancer
    /// takes the instance out, while requests (new and in flight) are still served. 0 stops at once.
    /// </summary>
    public int DrainSeconds { get; set; } = 5;
}

internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    internal const int MaximumDrainSeconds = 300;

    public ValidateOptionsResult Validate(string? name, ShutdownOptions options) =>
        options.DrainSeconds is < 0 or > MaximumDrainSeconds
            ? ValidateOptionsResult.Fail($"{ShutdownOptions.SectionName}:DrainSeconds must be between 0 and {MaximumDrainSeconds} (is {options.DrainSeconds}).")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// The drain on shutdown: when the host begins stopping (SIGTERM), readiness turns unhealthy, then stopping waits
/// <see cref="ShutdownOptions.DrainSeconds"/> before any hosted service, Kestrel included, is stopped.
/// <see cref="IHostedLifecycleService.StoppingAsync"/> runs before every StopAsync, which is what orders it.
/// </summary>
internal sealed partial class ShutdownDrain(IOptions<ShutdownOptions> options, TimeProvider timeProvider, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _stopping;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var drain = TimeSpan.FromSeconds(options.Value.DrainSeconds);
        if (drain <= TimeSpan.Zero)
        {
            return;
        }

        Draining(logger, options.Value.DrainSeconds);
        try
        {
            await Task.Delay(drain, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ended the drain early; stopping goes on.
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_stopping
            ? HealthCheckResult.Unhealthy("The gateway is shutting down (draining).")
            : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3900, Level = LogLevel.Information, Message = "Shutting down: /readyz answers 503, requests are served for {DrainSeconds} s more (Gateway:Shutdown:DrainSeconds).")]
    private static partial void Draining(ILogger logger, int drainSeconds);
}
