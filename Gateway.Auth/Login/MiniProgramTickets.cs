using System.Text.Json;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>
/// The server-side half of the Mini Program two-step login: the latest session_key per (appid, openid), and
/// one-time tickets that let the client come back with encrypted user data without ever holding the session_key.
/// Only hashes of tickets are stored.
/// </summary>
internal sealed class MiniProgramTickets(IEphemeralStore store, IOptions<LoginOptions> options)
{
    public TimeSpan TicketLifetime => options.Value.TicketLifetime;

    /// <summary>Replaces the previous one: WeChat rotated it with this login, and data encrypted before no longer decrypts.</summary>
    public Task RememberSessionKeyAsync(string appId, string openId, string sessionKey, CancellationToken cancellationToken) =>
        store.SetAsync(SessionKeyKey(appId, openId), sessionKey, options.Value.SessionKeyLifetime, cancellationToken);

    public Task<string?> SessionKeyAsync(string appId, string openId, CancellationToken cancellationToken) =>
        store.GetAsync(SessionKeyKey(appId, openId), cancellationToken);

    public async Task<string> IssueAsync(string appId, string openId, CancellationToken cancellationToken)
    {
        var ticket = LoginSecrets.NewToken();
        var record = JsonSerializer.Serialize(new TicketRecord(appId, openId), LoginJsonContext.Default.TicketRecord);
        await store.SetAsync(TicketKey(ticket), record, options.Value.TicketLifetime, cancellationToken).ConfigureAwait(false);
        return ticket;
    }

    /// <summary>The ticket's record, once: among concurrent callers exactly one gets it. Null when unknown, expired or used.</summary>
    public async Task<TicketRecord?> TakeAsync(string ticket, CancellationToken cancellationToken)
    {
        if (!LoginSecrets.LooksLikeToken(ticket))
        {
            return null;
        }

        return await store.TakeAsync(TicketKey(ticket), cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize(json, LoginJsonContext.Default.TicketRecord)
            : null;
    }

    private static string TicketKey(string ticket) => "wechat:mp-ticket:" + LoginSecrets.Hash(ticket);

    /// <summary>Where the latest session_key of a Mini Program user lives (internal so tests never rebuild it by hand).</summary>
    internal static string SessionKeyKey(string appId, string openId) => "wechat:mp-session-key:" + LoginSecrets.Hash(appId + "\n" + openId);
}
