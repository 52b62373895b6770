using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// Client headers never forwarded besides the identity headers: names downstream frameworks are known to trust
/// for routing, method, client address or identity, which only infrastructure in front of them should set.
/// <c>Gateway:Proxy:StripHeaders</c> adds names; <c>Gateway:Proxy:ForwardHeaders</c> lets default ones through.
/// Matched like the identity headers: case-insensitive, '_' equal to '-'.
/// </summary>
internal sealed class StrippedHeaders
{
    /// <summary>
    /// X-Forwarded-For, -Proto, -Host and -Prefix are not here: YARP replaces them with what the gateway knows
    /// (the client address as trusted proxies give it).
    /// </summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        // URL rewriting: IIS, Symfony, Zend and Laminas route on these instead of the request line.
        "X-Original-URL", "X-Rewrite-URL",

        // Method override: Express method-override, Symfony, Laravel, ASP.NET Web API, Spring's HiddenHttpMethodFilter.
        "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "X-Original-Method",

        // Client address: read by nginx real_ip setups and many frameworks; the gateway sends X-Forwarded-For.
        "X-Real-IP", "X-Client-IP", "True-Client-IP", "Forwarded",

        // Forwarded details YARP does not set, trusted by Rack, Traefik and Spring.
        "X-Forwarded-Port", "X-Forwarded-Ssl", "X-Forwarded-Scheme", "X-Forwarded-Server", "X-Forwarded-Uri", "X-Forwarded-Method", "X-Url-Scheme", "Front-End-Https",

        // Identity set by other auth proxies (oauth2-proxy, Apache, ingress-nginx) and by WeChat cloud hosting.
        "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Preferred-Username", "X-Forwarded-Groups", "X-Forwarded-Access-Token",
        "X-Auth-Request-User", "X-Auth-Request-Email", "X-Auth-Request-Access-Token", "X-Remote-User", "Remote-User", "X-User", "X-User-Id",
        "X-Open-Id", "X-WX-OPENID", "X-WX-UNIONID", "X-WX-APPID", "X-WX-FROM-OPENID", "X-WX-FROM-UNIONID", "X-WX-FROM-APPID",
    ];

    private readonly HashSet<string> _names;

    public StrippedHeaders(IOptions<GatewayProxyOptions> options)
    {
        var forwarded = options.Value.ForwardHeaders.Select(Normalise).ToHashSet(StringComparer.Ordinal);
        _names = Defaults.Concat(options.Value.StripHeaders).Select(Normalise).Where(name => !forwarded.Contains(name)).ToHashSet(StringComparer.Ordinal);
    }

    public bool Contains(string name) => IdentityHeaderFilter.IsIdentityHeader(name) || _names.Contains(Normalise(name));

    public void StripFrom(HttpHeaders headers)
    {
        List<string>? found = null;
        foreach (var header in headers.NonValidated)
        {
            if (Contains(header.Key))
            {
                (found ??= []).Add(header.Key);
            }
        }

        foreach (var name in found ?? [])
        {
            headers.Remove(name);
        }
    }

    public static string Normalise(string name) => name.Replace('_', '-').ToLowerInvariant();
}
