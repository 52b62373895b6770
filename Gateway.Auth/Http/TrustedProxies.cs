using Microsoft.Extensions.Configuration;

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

    internal static string[] Entries(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<string[]>() ?? [];
}
