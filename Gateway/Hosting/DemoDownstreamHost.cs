using Gateway.Auth.Signing;
using Gateway.DemoDownstream;

namespace Gateway.Hosting;

/// <summary>
/// Runs the demo downstream inside the gateway process in the embedded default, so one command gives a new user
/// a gateway and something behind it. It is given the keys to verify assertions for its cluster
/// (<c>DemoDownstream:Audience</c>, default <c>demo</c>), as a separately run service would be given them.
/// </summary>
internal sealed class DemoDownstreamHost(IConfiguration configuration, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("DemoDownstream:Enabled"))
        {
            return;
        }

        var url = configuration["DemoDownstream:Url"] is { Length: > 0 } configured ? configured : DemoDownstreamApp.DefaultUrl;
        var keys = services.GetRequiredService<IdentityAssertionKeySet>();
        var audience = configuration["DemoDownstream:Audience"] is { Length: > 0 } cluster ? cluster : "demo";
        List<string> args = [$"--IdentityAssertion:Audience={audience}", $"--IdentityAssertion:Es256Jwks={keys.JsonWebKeySetDocument}"];
        args.AddRange(keys.DeriveHs256AudienceKeys(audience).Select(key => $"--IdentityAssertion:Hs256Keys:{key.Key}={key.Value}"));
        _app = DemoDownstreamApp.Create([.. args], url);
        await _app.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
}
