using Gateway.Auth.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>Reads the presented session through the sessions feature's own validator (same revocation and expiry rules).</summary>
internal sealed class GatewaySessionReader(SessionValidator validator, IOptions<SessionOptions> options) : ILoginSessionReader
{
    public async Task<LoginSessionView?> ReadAsync(HttpContext context, CancellationToken cancellationToken) =>
        SessionCredentials.ReadToken(context.Request, options.Value.CookieName) is { } token
        && await validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false) is { } session
            ? new LoginSessionView(session.PersonId, session.AppId, session.OpenId)
            : null;
}
