using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Gateway.Auth.Management;

/// <summary>
/// The management surface is served only on connections accepted by the Kestrel endpoint named
/// <c>Management</c> (<c>Kestrel:Endpoints:Management:Url</c>). Connections are marked when accepted, so neither a
/// Host header nor a path can make a public connection count as a management one.
/// </summary>
public static class ManagementListener
{
    public const string EndpointName = "Management";

    private static readonly object Marker = new();

    /// <summary>
    /// Listeners from <c>Kestrel:Endpoints</c> (the one named Management marked as such) and limits from
    /// <c>Kestrel:Limits</c>, which this hosting path does not bind by itself.
    /// </summary>
    public static void ConfigureGatewayListeners(this KestrelServerOptions options, IConfiguration configuration)
    {
        configuration.GetSection("Kestrel:Limits").Bind(options.Limits);
        options.Configure(configuration.GetSection("Kestrel"), reloadOnChange: false)
            .Endpoint(EndpointName, endpoint => endpoint.ListenOptions.Use(next => connection =>
            {
                connection.Items[Marker] = Marker;
                return next(connection);
            }));
    }

    public static bool IsManagementConnection(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Marker) == true;
}
