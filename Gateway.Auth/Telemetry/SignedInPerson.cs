using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Telemetry;

/// <summary>The person a login signed in, remembered on the request for its access log line.</summary>
internal static class SignedInPerson
{
    private static readonly object Key = new();

    public static void Remember(HttpContext context, long personId) => context.Items[Key] = personId;

    public static long? Read(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? (long?)value : null;
}
