using System.Net;
using Gateway.Auth.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class TrustedProxiesServiceCollectionExtensions
{
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
                foreach (var entry in TrustedProxies.Entries(configuration))
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
            .Validate<IConfiguration>((_, configuration) => TrustedProxies.Entries(configuration).All(entry => System.Net.IPNetwork.TryParse(entry, out System.Net.IPNetwork _) || IPAddress.TryParse(entry, out IPAddress? _)),
                $"{TrustedProxies.SectionName} entries must be IP addresses or CIDR networks (e.g. 10.0.0.5 or 10.0.0.0/8).")
            .ValidateOnStart();
        return services;
    }
}
