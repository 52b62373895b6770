using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Signing;

/// <summary>
/// <c>print-audience-key &lt;audience&gt;</c>: prints the HS256 keys one downstream service needs, one per configured
/// master secret (so both during a rotation), as configuration lines for <c>AddGatewayIdentityAssertion</c>.
/// The output is a secret: it lets that audience verify — and forge for itself — nothing more.
/// </summary>
public static class PrintAudienceKeyCommand
{
    public const string Name = "print-audience-key";

    /// <param name="args">
    /// The arguments after the command name: the audience (the cluster id), then only settings
    /// (<c>--Section:Key=value</c>), which the host has already read into <paramref name="configuration"/>.
    /// </param>
    /// <returns>
    /// 0 on success, 1 when the signing configuration is invalid or has no HS256 key, 2 on bad usage or an audience
    /// that no cluster of the proxy configuration (<c>ReverseProxy:Clusters</c>) has.
    /// </returns>
    public static int Run(string[] args, IConfiguration configuration, TextWriter output)
    {
        if (args is not [var audience, .. var settings] || string.IsNullOrWhiteSpace(audience) || audience.StartsWith('-')
            || settings.Any(setting => !setting.StartsWith('-')))
        {
            output.WriteLine($"usage: {Name} <audience>   (the cluster id the downstream service is reached through)");
            return 2;
        }

        var clusters = configuration.GetSection("ReverseProxy:Clusters").GetChildren().Select(cluster => cluster.Key).ToList();
        if (!clusters.Contains(audience, StringComparer.OrdinalIgnoreCase))
        {
            output.WriteLine($"error: no cluster in the proxy configuration (ReverseProxy:Clusters, yarp.json) is named '{audience}'; "
                + $"the audience is the cluster id. Clusters: {(clusters.Count == 0 ? "none" : string.Join(", ", clusters))}.");
            return 2;
        }

        using var services = new ServiceCollection().AddIdentityAssertions(configuration).BuildServiceProvider();
        SigningKeyRing ring;
        try
        {
            ring = services.GetRequiredService<SigningKeys>().Current;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                output.WriteLine("error: " + failure);
            }

            return 1;
        }

        if (ring.Hs256MasterSecrets.Count == 0)
        {
            output.WriteLine("error: no HS256 master secret is configured (Signing:Hs256:Keys:{kid}).");
            return 1;
        }

        output.WriteLine($"# HS256 assertion keys for audience '{audience}'. Give them to that service only.");
        output.WriteLine($"IdentityAssertion:Audience={audience}");
        foreach (var keyId in ring.Hs256MasterSecrets.Keys.Order(StringComparer.Ordinal))
        {
            var key = ring.AudienceKey(audience, keyId);
            var state = keyId == ring.Hs256ActiveKeyId ? "active" : "accepted during rotation";
            output.WriteLine($"# {keyId}: {state}");
            output.WriteLine($"IdentityAssertion:Hs256Keys:{keyId}={Convert.ToBase64String(key)}");
        }

        return 0;
    }
}
