using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Http;

/// <summary>
/// The load balancers in front of the gateway (<c>Gateway:TrustedProxies</c>: addresses or CIDR networks). Only a
/// request arriving from one of them may name the client with <c>X-Forwarded-For</c>; the client address then
/// drives per-address rate limits and is what YARP forwards downstream. Nothing else a client sends is taken from
/// forwarded headers: the scheme, host and OAuth redirect_uri come from configuration. With no entry, every
/// forwarded header is ignored.
/// </summary>
public static class TrustedProxies
{
    public const string SectionName = "Gateway:TrustedProxies";

    /// <summary>Reads <c>Gateway:TrustedProxies</c> from the application's final configuration.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
                options.ForwardLimit = null;
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var entry in Entries(configuration))
                {
                    if (System.Net.IPNetwork.TryParse(entry, out var network))
                    {
                        options.KnownIPNetworks.Add(network);
                    }
                    else if (IPAddress.TryParse(entry, out var address))
                    {
                        options.KnownProxies.Add(address);
                    }
                }
            })
            .Validate<IConfiguration>((_, configuration) => Entries(configuration).All(entry => System.Net.IPNetwork.TryParse(entry, out System.Net.IPNetwork _) || IPAddress.TryParse(entry, out IPAddress? _)),
                $"{SectionName} entries must be IP addresses or CIDR networks (e.g. 10.0.0.5 or 10.0.0.0/8).")
            .ValidateOnStart();
        return services;
    }

    private static string[] Entries(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<string[]>() ?? [];

    /// <summary>First in the pipeline, so that everything after it sees the real client address.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count + options.KnownIPNetworks.Count == 0 ? app : app.UseForwardedHeaders();
    }
}
