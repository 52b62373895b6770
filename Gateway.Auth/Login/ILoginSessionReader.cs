using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Login;

/// <summary>The gateway session a request presents, as far as login endpoints need it (the phone endpoint).</summary>
public interface ILoginSessionReader
{
    /// <returns>Null when the request presents no valid session.</returns>
    Task<LoginSessionView?> ReadAsync(HttpContext context, CancellationToken cancellationToken);

    /// <summary>The presented session now carries the <c>phone_number_verified</c> claim.</summary>
    Task MarkPhoneVerifiedAsync(HttpContext context, CancellationToken cancellationToken);
}

/// <param name="OpenId">The WeChat user the session was issued to, in <paramref name="AppId"/>.</param>
/// <remarks>Both are null for an OpenID Connect session, which no WeChat app endpoint accepts.</remarks>
public sealed record LoginSessionView(long PersonId, string? AppId, string? OpenId);
