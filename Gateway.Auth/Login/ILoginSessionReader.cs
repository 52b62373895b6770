using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Login;

/// <summary>The gateway session a request presents, as far as login endpoints need it (the phone endpoint).</summary>
public interface ILoginSessionReader
{
    /// <returns>Null when the request presents no valid session.</returns>
    Task<LoginSessionView?> ReadAsync(HttpContext context, CancellationToken cancellationToken);
}

/// <param name="OpenId">The WeChat user the session was issued to, in <paramref name="AppId"/>.</param>
public sealed record LoginSessionView(long PersonId, string AppId, string OpenId);
