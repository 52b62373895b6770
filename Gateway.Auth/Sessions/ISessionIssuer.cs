using Gateway.Auth.Identity;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Sessions;

/// <summary>How a client carries its gateway session.</summary>
public enum SessionTransport
{
    /// <summary>Browser flows (Official Account H5, website): an HttpOnly, Secure, SameSite cookie.</summary>
    Cookie,

    /// <summary>Mini Program and APP clients: <c>Authorization: Bearer {token}</c>.</summary>
    Bearer,
}

/// <summary>A session just issued. <see cref="Token"/> is the secret the client presents; never log it.</summary>
public sealed record IssuedSession(string Token, DateTimeOffset IdleExpiresAt, DateTimeOffset AbsoluteExpiresAt);

/// <summary>
/// The one way a login flow turns a resolved identity into a gateway session. Every call creates a new session
/// (never reuses one the request presented: no fixation) and ends the session the request came with, if any.
/// For <see cref="SessionTransport.Cookie"/> it also sets the session cookie on the response.
/// </summary>
public interface ISessionIssuer
{
    Task<IssuedSession> IssueAsync(HttpContext context, ResolvedIdentity identity, SessionTransport transport, CancellationToken cancellationToken = default);
}
