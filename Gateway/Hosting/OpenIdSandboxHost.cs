using Gateway.OpenIdSandbox;

namespace Gateway.Hosting;

/// <summary>
/// Runs the sandbox OpenID Provider beside the gateway in the embedded default (<c>OpenIdSandbox:Enabled</c>), on its
/// own listener (<c>OpenIdSandbox:Url</c>), with the gateway registered as its client at <c>Login:PublicBaseUrl</c>.
/// </summary>
internal sealed class OpenIdSandboxHost(IConfiguration configuration) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(OpenIdSandboxOptions.SectionName);
        if (!section.GetValue<bool>(nameof(OpenIdSandboxOptions.Enabled)))
        {
            return;
        }

        var options = section.Get<OpenIdSandboxOptions>() ?? new OpenIdSandboxOptions();
        if (configuration["Login:PublicBaseUrl"] is { Length: > 0 } gateway)
        {
            options.GatewayBaseUrl = gateway.TrimEnd('/');
        }

        _app = await OpenIdSandboxServer.StartAsync(options, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
}
