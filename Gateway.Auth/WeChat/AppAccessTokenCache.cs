using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.WeChat;

/// <summary>
/// The app access_token, cached once for every gateway instance in the ephemeral store and fetched with
/// cgi-bin/stable_token. A refresh is single-flight: one caller per process (a semaphore) and one process across
/// instances (a short lock key); the others wait for the token it stores. A token WeChat rejects (40001/42001) is
/// replaced once with force_refresh, and only if no other caller replaced it already: every forced refresh
/// invalidates the previous token, so uncoordinated refreshes would knock each other out.
/// </summary>
internal sealed class AppAccessTokenCache(
    IEphemeralStore store,
    WeChatApiClient client,
    IOptionsMonitor<WeChatOptions> options,
    TimeProvider timeProvider,
    ILogger<AppAccessTokenCache> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public static string CacheKey(string appId) => "wechat:app-token:" + appId;

    /// <summary>Runs <paramref name="call"/> with the app's access_token, refreshing it once if WeChat rejects it.</summary>
    public async Task<T> UseAsync<T>(WeChatApp app, Func<string, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        var token = await GetAsync(app, rejected: null, cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(token, cancellationToken).ConfigureAwait(false);
        }
        catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.InvalidToken)
        {
            WeChatLog.AppTokenRejected(logger, app.AppId, e.Errcode);
            token = await GetAsync(app, rejected: token, cancellationToken).ConfigureAwait(false);
            return await call(token, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> GetAsync(WeChatApp app, string? rejected, CancellationToken cancellationToken)
    {
        var key = CacheKey(app.AppId);
        if (await UsableAsync(key, rejected, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }

        var gate = _gates.GetOrAdd(app.AppId, _ => new SemaphoreSlim(1, 1));
        var budget = RefreshBudget();
        if (!await gate.WaitAsync(budget, cancellationToken).ConfigureAwait(false))
        {
            throw new WeChatApiException("cgi-bin/stable_token", WeChatErrorKind.Unavailable, null, "Timed out waiting for another refresh of the app access_token.");
        }

        try
        {
            return await RefreshAsync(app, key, rejected, budget, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> RefreshAsync(WeChatApp app, string key, string? rejected, TimeSpan budget, CancellationToken cancellationToken)
    {
        var lockKey = key + ":refreshing";
        var lockValue = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var giveUpAt = timeProvider.GetUtcNow() + budget;
        while (true)
        {
            if (await UsableAsync(key, rejected, cancellationToken).ConfigureAwait(false) is { } cached)
            {
                return cached;
            }

            if (await store.SetIfAbsentAsync(lockKey, lockValue, budget, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (timeProvider.GetUtcNow() >= giveUpAt)
            {
                // The instance holding the lock is gone or stuck; its lock expires on its own.
                throw new WeChatApiException("cgi-bin/stable_token", WeChatErrorKind.Unavailable, null, "Timed out waiting for another instance to refresh the app access_token.");
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // Another instance may have stored a token between our last look and taking the lock.
            if (await UsableAsync(key, rejected, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return stored;
            }

            var fresh = await client.GetStableAccessTokenAsync(app, forceRefresh: rejected is not null, cancellationToken).ConfigureAwait(false);
            var lifetime = CacheLifetime(fresh.ExpiresIn);
            await store.SetAsync(key, fresh.Token, lifetime, cancellationToken).ConfigureAwait(false);
            WeChatLog.AppTokenFetched(logger, app.AppId, rejected is not null, lifetime);
            return fresh.Token;
        }
        finally
        {
            await ReleaseAsync(lockKey).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort: a lock that cannot be deleted expires on its own, and must not hide the refresh's outcome.</summary>
    private async Task ReleaseAsync(string lockKey)
    {
        try
        {
            await store.DeleteAsync(lockKey, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EphemeralStoreUnavailableException)
        {
        }
    }

    private async Task<string?> UsableAsync(string key, string? rejected, CancellationToken cancellationToken) =>
        await store.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } token && token != rejected ? token : null;

    /// <summary>Long enough for one stable_token call with all its retries.</summary>
    private TimeSpan RefreshBudget()
    {
        var current = options.CurrentValue;
        return (current.Timeout + current.Retry.MaxDelay) * (current.Retry.Attempts + 1) + TimeSpan.FromSeconds(1);
    }

    /// <summary>Stops using a token well before WeChat expires it, so no request carries one that expires in flight.</summary>
    private static TimeSpan CacheLifetime(int expiresIn)
    {
        var validFor = TimeSpan.FromSeconds(Math.Max(expiresIn, 2));
        return validFor > RefreshMargin * 2 ? validFor - RefreshMargin : validFor / 2;
    }
}
