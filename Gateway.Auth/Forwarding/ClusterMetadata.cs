using Gateway.Auth.Signing;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Auth.Forwarding;

/// <summary>The gateway's keys in a yarp.json cluster's <c>Metadata</c>.</summary>
public static class ClusterMetadata
{
    /// <summary><c>HS256</c> (the default) or <c>ES256</c>: how assertions sent to this cluster are signed.</summary>
    public const string IdentityAssertionAlgorithm = "IdentityAssertionAlgorithm";

    /// <summary>The cluster's algorithm; throws naming the cluster when the value is not HS256 or ES256.</summary>
    public static string ReadAssertionAlgorithm(ClusterConfig cluster)
    {
        if (cluster.Metadata is null || !cluster.Metadata.TryGetValue(IdentityAssertionAlgorithm, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return AssertionFormat.Hs256;
        }

        var algorithm = value.Trim().ToUpperInvariant();
        return AssertionFormat.IsSupportedAlgorithm(algorithm)
            ? algorithm
            : throw new InvalidOperationException(
                $"Cluster '{cluster.ClusterId}' has Metadata.{IdentityAssertionAlgorithm} '{value}', which is not one of: {AssertionFormat.Hs256}, {AssertionFormat.Es256}.");
    }
}
