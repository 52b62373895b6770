using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Sessions;

/// <summary>
/// Checks a presented token. A session confirmed by the store is trusted from process memory for
/// <see cref="SessionOptions.LocalCacheDuration"/> (at most 1 s), so a busy session costs one store round trip per
/// second per instance and a revocation made anywhere takes effect everywhere within that time. Expiry is
/// re-checked on every call, cached or not.
/// </summary>
internal sealed class SessionValidator(SessionStore store, IOptions<SessionOptions> options, TimeProvider timeProvider)
{
    // Bounds memory under a flood of distinct valid sessions; past it, sessions are simply checked every time.
    internal const int MaxCachedSessions = 100_000;

    // Keyed by the token itself, which this process holds anyway while it serves the request: hashing it on every
    // request would cost more than the rest of the check. Entries live at most a second.
    private readonly ConcurrentDictionary<string, CachedSession> cache = new(StringComparer.Ordinal);

    /// <summary>The session, or null when the token is not a valid one now.</summary>
    /// <exception cref="Storage.Ephemeral.EphemeralStoreUnavailableException">The store cannot answer.</exception>
    public async ValueTask<ActiveSession?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!SessionToken.TryParse(token, out var personId))
        {
            return null;
        }

        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (cache.TryGetValue(token, out var cached) && now < cached.TrustedUntil)
        {
            return IsLive(cached.Record, now) ? cached.Session : null;
        }

        var hash = SessionToken.Hash(token);
        var record = await store.ReadAsync(hash, personId, cancellationToken).ConfigureAwait(false);
        if (record is null || !IsLive(record, now))
        {
            cache.TryRemove(token, out _);
            return null;
        }

        // Refreshing only once half the idle window is used keeps the steady state free of store writes.
        var idle = (long)options.Value.IdleTimeout.TotalMilliseconds;
        if (record.IdleExpiresAt - now < idle / 2 && record.IdleExpiresAt < record.AbsoluteExpiresAt)
        {
            record = await store.TouchAsync(hash, record, cancellationToken).ConfigureAwait(false);
        }

        var session = ActiveSession.From(record);
        Remember(token, new CachedSession(record, session, now + (long)options.Value.LocalCacheDuration.TotalMilliseconds));
        return session;
    }

    /// <summary>Ends one session: in the store, and at once in this instance.</summary>
    public async Task EndAsync(string token, CancellationToken cancellationToken)
    {
        if (!SessionToken.TryParse(token, out _))
        {
            return;
        }

        cache.TryRemove(token, out _);
        await store.DeleteAsync(SessionToken.Hash(token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a verified phone number on the session: in the store, and at once in this instance (other instances
    /// see it within <see cref="SessionOptions.LocalCacheDuration"/>).
    /// </summary>
    public async Task MarkPhoneVerifiedAsync(string token, CancellationToken cancellationToken)
    {
        if (!SessionToken.TryParse(token, out var personId))
        {
            return;
        }

        await store.MarkPhoneVerifiedAsync(SessionToken.Hash(token), personId, cancellationToken).ConfigureAwait(false);
        cache.TryRemove(token, out _);
    }

    /// <summary>Ends every session of the person: in the store, and at once in this instance.</summary>
    public async Task RevokePersonAsync(long personId, CancellationToken cancellationToken)
    {
        await store.RevokePersonAsync(personId, cancellationToken).ConfigureAwait(false);
        foreach (var (token, cached) in cache)
        {
            if (cached.Record.PersonId == personId)
            {
                cache.TryRemove(token, out _);
            }
        }
    }

    private static bool IsLive(SessionRecord record, long now) => now < record.IdleExpiresAt && now < record.AbsoluteExpiresAt;

    private void Remember(string token, CachedSession entry)
    {
        if (options.Value.LocalCacheDuration <= TimeSpan.Zero)
        {
            return;
        }

        if (cache.Count >= MaxCachedSessions)
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (key, value) in cache)
            {
                if (value.TrustedUntil <= now)
                {
                    cache.TryRemove(key, out _);
                }
            }

            if (cache.Count >= MaxCachedSessions)
            {
                return;
            }
        }

        cache[token] = entry;
    }

    private sealed record CachedSession(SessionRecord Record, ActiveSession Session, long TrustedUntil);
}
