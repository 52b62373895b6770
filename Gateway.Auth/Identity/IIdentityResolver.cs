namespace Gateway.Auth.Identity;

/// <summary>Turns a WeChat login into one person: by unionid, else by (appid, openid), else a new person.</summary>
public interface IIdentityResolver
{
    /// <exception cref="IdentityResolutionException">The login cannot be accepted; see its <see cref="IdentityResolutionException.Code"/>.</exception>
    /// <exception cref="Storage.Relational.RelationalStoreUnavailableException">The identity database is unavailable.</exception>
    Task<ResolvedIdentity> ResolveAsync(LoginIdentity login, CancellationToken cancellationToken = default);
}
