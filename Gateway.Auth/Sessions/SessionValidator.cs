using System.Collections.Concurrent;
using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Sessions;

/// <summary>
/// Checks a presented token. A session confirmed by the store is trusted from process memory for
/// <see cref="SessionOptions.LocalCacheDuration"/> (at most 1 s), so a busy session costs one store round trip per
/// second per instance and a revocation made anywhere takes effect everywhere within that time. Expiry is
/// re-checked on every call, cached or not. Concurrent checks of one token that miss the cache share one store
/// read, so a burst of one user's requests is one round trip, not one per request.
/// </summary>
internal sealed class SessionValidator(SessionStore store, IOptions<SessionOptions> options, TimeProvider timeProvider, GatewayMetrics metrics)
{
    // Bounds memory under a flood of distinct valid sessions; past it, sessions are simply checked every time.
    internal const int MaxCachedSessions = 100_000;

    // Keyed by the token itself, which this process holds anyway while it serves the request: hashing it on every
    // request would cost more than the rest of the check. Entries live at most a second.
    private readonly ConcurrentDictionary<string, CachedSession> _cache = new(StringComparer.Ordinal);

    // ConcurrentDictionary.Count takes every lock of the table; this approximate count keeps the size check cheap.
    private int _cachedCount;

    // The store read in flight for a token, which later checks of the same token await instead of reading again.
    private readonly ConcurrentDictionary<string, Task<CachedSession?>> _reads = new(StringComparer.Ordinal);

    /// <summary>The session, or null when the token is not a valid one now.</summary>
    /// <exception cref="Storage.Ephemeral.EphemeralStoreUnavailableException">The store cannot answer.</exception>
    public async ValueTask<ActiveSession?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!SessionToken.TryParse(token, out var personId))
        {
            return null;
        }

        var now = Now();
        if (_cache.TryGetValue(token, out var cached) && now < cached.TrustedUntil)
        {
            var live = cached.IsLive(now);
            metrics.SessionChecked(fromCache: true, live);
            return live ? cached.Session : null;
        }

        // The shared read runs to its end (the store's own timeout bounds it) even when this caller goes away, so
        // one aborted request never fails the others waiting on it.
        var checkedNow = await SharedReadAsync(token, personId).WaitAsync(cancellationToken);
        var valid = checkedNow is not null && checkedNow.IsLive(Now());
        metrics.SessionChecked(fromCache: false, valid);
        return valid ? checkedNow!.Session : null;
    }

    /// <summary>Ends one session: in the store, and at once in this instance.</summary>
    public async Task EndAsync(string token, CancellationToken cancellationToken)
    {
        if (!SessionToken.TryParse(token, out var personId))
        {
            return;
        }

        Forget(token);
        await store.DeleteAsync(SessionToken.Hash(token), personId, cancellationToken);
        metrics.SessionRevoked("session");
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

        await store.MarkPhoneVerifiedAsync(SessionToken.Hash(token), personId, cancellationToken);
        Forget(token);
    }

    /// <summary>Ends every session of the person: in the store, and at once in this instance.</summary>
    public async Task RevokePersonAsync(long personId, CancellationToken cancellationToken)
    {
        await store.RevokePersonAsync(personId, cancellationToken);
        metrics.SessionRevoked("person");
        foreach (var (token, cached) in _cache)
        {
            if (cached.PersonId == personId)
            {
                Forget(token);
            }
        }
    }

    private long Now() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private Task<CachedSession?> SharedReadAsync(string token, long personId)
    {
        while (true)
        {
            if (_reads.TryGetValue(token, out var pending))
            {
                return pending;
            }

            var read = new TaskCompletionSource<CachedSession?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_reads.TryAdd(token, read.Task))
            {
                _ = CompleteReadAsync(token, personId, read);
                return read.Task;
            }
        }
    }

    /// <summary>Reads the session for everyone waiting on <paramref name="read"/>, then lets the next miss read again.</summary>
    private async Task CompleteReadAsync(string token, long personId, TaskCompletionSource<CachedSession?> read)
    {
        try
        {
            // Trust runs from before the read, so a revocation the store saw during the read is honoured in time.
            var now = Now();
            var hash = SessionToken.Hash(token);
            var record = await store.ReadAsync(hash, personId, CancellationToken.None);
            if (record is null || !IsLive(record, now))
            {
                Forget(token);
                read.SetResult(null);
                return;
            }

            // Refreshing only once half the idle window is used keeps the steady state free of store writes.
            var idle = (long)options.Value.IdleTimeout.TotalMilliseconds;
            if (record.IdleExpiresAt - now < idle / 2 && record.IdleExpiresAt < record.AbsoluteExpiresAt)
            {
                record = await store.TouchAsync(hash, record, CancellationToken.None);
            }

            var trustedUntil = now + (long)options.Value.LocalCacheDuration.TotalMilliseconds;
            if (_cache.TryGetValue(token, out var known) && known.Describes(record))
            {
                // The usual refresh: nothing changed, so the entry stays and only its trust moves on. Replacing it
                // made every busy session a pair of objects that lived about a second: old enough to be promoted,
                // which with 10,000 sessions cost a full (gen2) collection every few seconds.
                known.TrustUntil(trustedUntil);
                read.SetResult(known);
                return;
            }

            var checkedNow = new CachedSession(ActiveSession.From(record), Math.Min(record.IdleExpiresAt, record.AbsoluteExpiresAt), trustedUntil);
            Remember(token, checkedNow);
            read.SetResult(checkedNow);
        }
        catch (Exception exception)
        {
            read.SetException(exception);
        }
        finally
        {
            // After the cache has the answer: a check arriving between the two finds one or the other.
            _reads.TryRemove(new KeyValuePair<string, Task<CachedSession?>>(token, read.Task));
        }
    }

    private static bool IsLive(SessionRecord record, long now) => now < record.IdleExpiresAt && now < record.AbsoluteExpiresAt;

    private void Remember(string token, CachedSession entry)
    {
        if (options.Value.LocalCacheDuration <= TimeSpan.Zero)
        {
            return;
        }

        if (_cache.TryGetValue(token, out var previous) && _cache.TryUpdate(token, entry, previous))
        {
            return;
        }

        if (Volatile.Read(ref _cachedCount) >= MaxCachedSessions)
        {
            var now = Now();
            foreach (var (key, value) in _cache)
            {
                if (value.TrustedUntil <= now)
                {
                    _cache.TryRemove(key, out _);
                }
            }

            Volatile.Write(ref _cachedCount, _cache.Count);
            if (_cachedCount >= MaxCachedSessions)
            {
                return;
            }
        }

        if (_cache.TryAdd(token, entry))
        {
            Interlocked.Increment(ref _cachedCount);
        }
        else
        {
            _cache[token] = entry;
        }
    }

    private void Forget(string token)
    {
        if (_cache.TryRemove(token, out _))
        {
            Interlocked.Decrement(ref _cachedCount);
        }
    }

    /// <summary>
    /// A session as the store confirmed it, and until when this instance trusts that answer. Only the one read in
    /// flight for the token moves the trust, while any number of checks read it.
    /// </summary>
    private sealed class CachedSession(ActiveSession session, long expiresAt, long trustedUntil)
    {
        private long _trustedUntil = trustedUntil;

        public ActiveSession Session => session;

        public long PersonId => session.PersonId.Value;

        public long TrustedUntil => Volatile.Read(ref _trustedUntil);

        public bool IsLive(long now) => now < expiresAt;

        public void TrustUntil(long until) => Volatile.Write(ref _trustedUntil, until);

        public bool Describes(SessionRecord record) =>
            session.PersonId.Value == record.PersonId
            && session.PhoneVerified == record.PhoneVerified
            && session.UnionId == record.UnionId
            && session.OpenId == record.OpenId
            && session.AppId == record.AppId
            && session.Channel == record.Channel
            && session.LegacyUserId == record.LegacyUserId
            && session.Transport == record.Transport
            && session.IssuedAt.ToUnixTimeMilliseconds() == record.IssuedAt
            && session.IdleExpiresAt.ToUnixTimeMilliseconds() == record.IdleExpiresAt
            && session.AbsoluteExpiresAt.ToUnixTimeMilliseconds() == record.AbsoluteExpiresAt;
    }
}
