using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.IdentityAssertions;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Sessions;

/// <summary>
/// Sessions in the ephemeral store: <c>session:{p:personId}:sha256(token)</c> holds the record with a time to live
/// of its idle expiry; <c>person-epoch:{p:personId}</c> holds a random value that logout-everywhere replaces, which
/// ends every session issued under the previous value on every instance. A session is valid when its person has no
/// epoch or the epoch it was issued under. Comparing random values, not timestamps, keeps clock differences
/// between instances out of revocation. Both keys carry the person as their Redis hash tag, so the check's one
/// multi-key read stays in one slot of a Redis Cluster (docs/ephemeral.md, "Key layout").
/// </summary>
internal sealed class SessionStore(IEphemeralStore store, IOptions<SessionOptions> options, TimeProvider timeProvider)
{
    public async Task<(string Token, SessionRecord Record)> CreateAsync(SessionRecordDraft draft, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var personId = draft.PersonId.Value;
        var epoch = await store.GetAsync(EpochKey(personId), cancellationToken);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var absolute = now + (long)settings.AbsoluteLifetime.TotalMilliseconds;
        var record = new SessionRecord(
            personId, draft.UnionId, draft.OpenId, draft.AppId, draft.Channel, draft.LegacyUserId, draft.Transport,
            now, absolute, Math.Min(now + (long)settings.IdleTimeout.TotalMilliseconds, absolute), epoch, draft.PhoneVerified, draft.Oidc);
        var token = SessionToken.Create(personId);
        await store.SetAsync(SessionKey(personId, SessionToken.Hash(token)), Serialize(record), TimeSpan.FromMilliseconds(record.IdleExpiresAt - now), cancellationToken);
        return (token, record);
    }

    /// <summary>The session if it is valid now; one round trip.</summary>
    public async Task<SessionRecord?> ReadAsync(string tokenHash, long personId, CancellationToken cancellationToken)
    {
        var values = await store.GetManyAsync([SessionKey(personId, tokenHash), EpochKey(personId)], cancellationToken);
        if (values[0] is not { } json || Deserialize(json) is not { } record || record.PersonId != personId)
        {
            return null;
        }

        var epoch = values[1];
        return epoch is null || epoch == record.Epoch ? record : null;
    }

    /// <summary>
    /// Extends the idle expiry. Writes only over an existing key, so a logout racing this refresh is never undone.
    /// </summary>
    public async Task<SessionRecord> TouchAsync(string tokenHash, SessionRecord record, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var refreshed = record with { IdleExpiresAt = Math.Min(now + (long)options.Value.IdleTimeout.TotalMilliseconds, record.AbsoluteExpiresAt) };
        if (refreshed.IdleExpiresAt <= now)
        {
            return record;
        }

        await store.SetIfPresentAsync(SessionKey(record.PersonId, tokenHash), Serialize(refreshed), TimeSpan.FromMilliseconds(refreshed.IdleExpiresAt - now), cancellationToken);
        return refreshed;
    }

    /// <summary>Records on the session that the person's phone number is now verified; false when the session is gone.</summary>
    public async Task<bool> MarkPhoneVerifiedAsync(string tokenHash, long personId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(SessionKey(personId, tokenHash), cancellationToken) is not { } json
            || Deserialize(json) is not { } record || record.PersonId != personId)
        {
            return false;
        }

        var left = record.IdleExpiresAt - timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return left > 0 && await store.SetIfPresentAsync(
            SessionKey(personId, tokenHash), Serialize(record with { PhoneVerified = true }), TimeSpan.FromMilliseconds(left), cancellationToken);
    }

    public Task<bool> DeleteAsync(string tokenHash, long personId, CancellationToken cancellationToken) =>
        store.DeleteAsync(SessionKey(personId, tokenHash), cancellationToken);

    /// <summary>
    /// Ends every session of the person. The epoch lives as long as a session can, so every session issued under
    /// an older epoch has expired by the time this one disappears.
    /// </summary>
    public Task RevokePersonAsync(long personId, CancellationToken cancellationToken) =>
        store.SetAsync(
            EpochKey(personId),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            options.Value.AbsoluteLifetime + TimeSpan.FromMinutes(1),
            cancellationToken);

    /// <summary>Where a session record lives (internal so tests never rebuild store keys by hand).</summary>
    internal static string SessionKey(long personId, string tokenHash) => "session:" + PersonTag(personId) + ":" + tokenHash;

    internal static string EpochKey(long personId) => "person-epoch:" + PersonTag(personId);

    private static string PersonTag(long personId) => "{p:" + personId.ToString(CultureInfo.InvariantCulture) + "}";

    private static string Serialize(SessionRecord record) => JsonSerializer.Serialize(record, SessionJsonContext.Default.SessionRecord);

    private static SessionRecord? Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SessionJsonContext.Default.SessionRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What a new session is about; the store adds times, epoch and token.</summary>
internal sealed record SessionRecordDraft(
    PersonId PersonId, UnionId? UnionId, OpenId? OpenId, AppId? AppId, string Channel, string? LegacyUserId, SessionTransport Transport, bool PhoneVerified,
    Identity.OidcSubject? Oidc = null);
