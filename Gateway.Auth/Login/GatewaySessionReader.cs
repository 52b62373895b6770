using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Login;

/// <summary>Reads the presented session through the gateway-session scheme (same revocation and expiry rules).</summary>
internal sealed class GatewaySessionReader : ILoginSessionReader
{
    public async Task<LoginSessionView?> ReadAsync(HttpContext context, CancellationToken cancellationToken) =>
        await context.AuthenticateGatewaySessionAsync().ConfigureAwait(false) is { } session
            ? new LoginSessionView(session.PersonId, session.AppId)
            : null;
}
