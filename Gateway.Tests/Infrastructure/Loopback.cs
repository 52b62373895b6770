using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Real Kestrel on 127.0.0.1 with a free port, for a test's own small hosts (a downstream, a mounted feature).
/// The gateway's appsettings.json sits in the test output folder, where a default builder would pick up its
/// listeners and settings: a loopback host starts from an empty configuration instead.
/// </summary>
public static class Loopback
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }

    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static HttpClient ClientFor(WebApplication app) => new() { BaseAddress = AddressOf(app) };
}
