using Gateway.Auth.Sessions;
using Gateway.Auth.Sessions.Authentication;
using Gateway.Auth.Signing;
using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// On every route: strips identity headers, the other <see cref="StrippedHeaders"/> and the gateway's own
/// credentials from what the client sent; on every route but anonymous ones, when the request's principal came from
/// a gateway session (<c>HttpContext.User</c>), injects the identity headers and the assertion signed for the
/// cluster (audience = cluster id, algorithm from the cluster's metadata) over the method and the exact target the
/// destination receives. Added after the route's own transforms, so path rewrites are already applied.
/// </summary>
internal sealed class IdentityTransformProvider(IIdentityAssertionSigner signer, IOptions<SessionOptions> sessionOptions, StrippedHeaders stripped, GatewayMetrics metrics) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var anonymous = RouteMetadata.IsAnonymous(context.Route);
        var audience = context.Route.ClusterId ?? "";
        var algorithm = context.Cluster is { } cluster ? ClusterMetadata.ReadAssertionAlgorithm(cluster) : AssertionFormat.Hs256;
        var cookieName = sessionOptions.Value.CookieName;
        context.AddRequestTransform(transform =>
        {
            var proxyRequest = transform.ProxyRequest;
            stripped.StripFrom(proxyRequest.Headers);
            if (proxyRequest.Content is { } content)
            {
                stripped.StripFrom(content.Headers);
            }

            IdentityHeaderFilter.StripGatewayCredentials(proxyRequest.Headers, cookieName);
            if (!anonymous && GatewaySessionPrincipal.ReadSession(transform.HttpContext.User) is { } session)
            {
                Inject(transform, audience, algorithm, session);
            }

            return ValueTask.CompletedTask;
        });
    }

    private void Inject(RequestTransformContext transform, string audience, string algorithm, ActiveSession session)
    {
        // The address YARP would build after the transforms; set here so what is signed is what is sent.
        var target = RequestUtilities.MakeDestinationAddress(transform.DestinationPrefix, transform.Path, transform.Query.QueryString);
        transform.ProxyRequest.RequestUri = target;
        var identity = new AssertedIdentity(
            session.UnionId, session.PersonId, session.OpenId, session.AppId, session.Channel, session.LegacyUserId,
            session.Oidc?.Provider, session.Oidc?.Subject, session.Oidc?.Email, session.Oidc?.Roles);
        var signed = signer.Sign(new IdentityAssertionRequest(audience, algorithm, transform.ProxyRequest.Method.Method, target.PathAndQuery, identity));
        metrics.AssertionSigned(algorithm);
        foreach (var (name, value) in signed.Headers)
        {
            transform.ProxyRequest.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
