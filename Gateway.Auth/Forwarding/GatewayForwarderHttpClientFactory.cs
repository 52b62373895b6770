using System.Net.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Auth.Forwarding;

/// <summary>Bounds connecting to a destination, so a black-holed address fails with 502 instead of hanging.</summary>
internal sealed class GatewayForwarderHttpClientFactory(IOptions<GatewayProxyOptions> options) : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = options.Value.ConnectTimeout;
    }
}
