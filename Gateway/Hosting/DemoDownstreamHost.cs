using Gateway.DemoDownstream;

namespace Gateway.Hosting;

/// <summary>
/// Runs the demo downstream inside the gateway process in the embedded default, so one command gives a new user
/// a gateway and something behind it.
/// </summary>
internal sealed class DemoDownstreamHost(IConfiguration configuration) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("DemoDownstream:Enabled"))
        {
            return;
        }

        var url = configuration["DemoDownstream:Url"] is { Length: > 0 } configured ? configured : DemoDownstreamApp.DefaultUrl;
        _app = DemoDownstreamApp.Create([], url);
        await _app.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
}
