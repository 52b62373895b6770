using System.Text.Json.Serialization;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Sessions;

/// <summary>The profile part of <c>GET /auth/session</c>: null fields mean nothing real is known, never a placeholder.</summary>
public sealed record SessionProfile(
    [property: JsonPropertyName("nickname")] string? Nickname,
    [property: JsonPropertyName("avatarUrl")] string? AvatarUrl)
{
    /// <summary>
    /// Profile fields are decoration: when the identity database is unavailable the session is still answered,
    /// without them, rather than failing a check that only needs the session store.
    /// </summary>
    internal static async Task<SessionProfile?> FindAsync(HttpContext context, long personId)
    {
        try
        {
            var person = await context.RequestServices.GetRequiredService<IPersonDirectory>().FindByIdAsync(personId, context.RequestAborted);
            return person is null ? null : new SessionProfile(person.Nickname, person.AvatarUrl);
        }
        catch (RelationalStoreUnavailableException)
        {
            return null;
        }
    }
}
