using Gateway.Auth.Sessions;
using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>Reads the presented session through the gateway-session scheme (same revocation and expiry rules).</summary>
internal sealed class GatewaySessionReader(SessionValidator validator, IOptions<SessionOptions> options) : ILoginSessionReader
{
    public async Task<LoginSessionView?> ReadAsync(HttpContext context, CancellationToken cancellationToken) =>
        await context.AuthenticateGatewaySessionAsync() is { } session
            ? new LoginSessionView(session.PersonId.Value, session.AppId?.Value, session.OpenId?.Value)
            : null;

    public Task MarkPhoneVerifiedAsync(HttpContext context, CancellationToken cancellationToken) =>
        SessionCredentials.ReadToken(context.Request, options.Value.CookieName) is { } token
            ? validator.MarkPhoneVerifiedAsync(token, cancellationToken)
            : Task.CompletedTask;
}
