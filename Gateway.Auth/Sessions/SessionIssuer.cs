using Gateway.Auth.Identity;
using Gateway.Auth.Signing;
using Gateway.Auth.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Sessions;

internal sealed class SessionIssuer(
    SessionStore store,
    SessionValidator validator,
    IPersonDirectory directory,
    IOptions<SessionOptions> options,
    GatewayMetrics metrics,
    ILogger<SessionIssuer> logger) : ISessionIssuer
{
    public async Task<IssuedSession> IssueAsync(HttpContext context, ResolvedIdentity identity, SessionTransport transport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(identity);
        var cookieName = options.Value.CookieName;

        // No fixation (docs/security.md §6): whatever session the request came with ends here; the new one shares nothing with it.
        foreach (var presented in SessionCredentials.ReadAllTokens(context.Request, cookieName).ToList())
        {
            await validator.EndAsync(presented, cancellationToken);
        }

        var channel = LoginChannels.NameOf(identity.Channel);
        var phoneVerified = (await directory.FindByIdAsync(identity.PersonId.Value, cancellationToken))?.Phone is not null;
        var (token, record) = await store.CreateAsync(
            new SessionRecordDraft(identity.PersonId, identity.UnionId, identity.OpenId, identity.AppId, channel, identity.LegacyUserId, transport, phoneVerified, identity.Oidc),
            cancellationToken);
        var absolute = DateTimeOffset.FromUnixTimeMilliseconds(record.AbsoluteExpiresAt);
        if (transport == SessionTransport.Cookie)
        {
            SessionCredentials.SetCookie(context.Response, cookieName, token, absolute);
        }

        metrics.SessionIssued(channel, transport == SessionTransport.Cookie ? "cookie" : "bearer");
        SessionLog.SessionIssued(logger, identity.PersonId.Value, channel, transport);
        return new IssuedSession(token, DateTimeOffset.FromUnixTimeMilliseconds(record.IdleExpiresAt), absolute);
    }
}
