using System.Text;
using System.Text.Json;
using Gateway.IdentityAssertions;

namespace Gateway.DemoDownstream;

/// <summary>
/// A stand-in for a legacy business service behind the gateway. It answers every path by echoing what it
/// received (method, path, query, headers, body), so a new user sees exactly what the gateway forwards, and the
/// identity it verified from the gateway's assertion. Verification is on when <c>IdentityAssertion:Audience</c>
/// is given (command line: <c>--IdentityAssertion:Audience=demo --IdentityAssertion:Hs256Keys:{kid}={key}</c>, as
/// <c>print-audience-key demo</c> prints them, or <c>--IdentityAssertion:Es256Jwks=...</c>): the package's
/// authentication scheme, as any downstream would add it. Requests without an assertion pass as anonymous; an
/// invalid assertion is answered 401 with its reason.
/// </summary>
public static class DemoDownstreamApp
{
    public const string DefaultUrl = "http://127.0.0.1:5081";

    private const int MaxEchoedBodyBytes = 64 * 1024;

    // camelCase like every JSON body of the gateway; header names and claim types, the dictionaries' keys, stay as received.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static WebApplication Create(string[] args, string? url = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // Hosted inside the gateway, the default sources would hand this app the gateway's own settings
        // (Kestrel endpoints included): it takes only its command line.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddCommandLine(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url ?? builder.Configuration["urls"] ?? DefaultUrl);
        var verification = builder.Configuration.GetSection(IdentityAssertionOptions.SectionName);
        var verifies = !string.IsNullOrEmpty(verification["Audience"]);
        if (verifies)
        {
            builder.Services.AddAuthentication().AddGatewayIdentityAssertion(verification.Bind);
        }

        var app = builder.Build();
        if (verifies)
        {
            app.UseAuthentication();
        }

        app.Run(context => EchoAsync(context, verifies));
        return app;
    }

    private static async Task EchoAsync(HttpContext context, bool verifies)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted);
        var identity = context.GetVerifiedIdentity();
        var echo = new
        {
            service = "demo-downstream",
            method = request.Method,
            path = request.Path.Value,
            query = request.QueryString.Value,
            headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            identityVerification = !verifies ? "not configured" : identity is null ? "anonymous" : "verified",
            verifiedIdentity = identity is null ? null : new
            {
                UnionId = identity.UnionId?.Value,
                PersonId = identity.PersonId?.Value,
                OpenId = identity.OpenId?.Value,
                AppId = identity.AppId?.Value,
                identity.Channel,
                identity.LegacyUserId,
                identity.Provider,
                identity.Subject,
                identity.Email,
                identity.Roles,
                identity.ClientId,
                identity.Audience,
                identity.TokenId,
                identity.KeyId,
                identity.Algorithm,
                identity.IssuedAt,
                identity.ExpiresAt,
            },
            // A claim type can repeat (one role claim per role): its values are listed together.
            user = context.User.Claims.GroupBy(claim => claim.Type, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => string.Join(",", group.Select(claim => claim.Value)), StringComparer.Ordinal),
        };

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echo, JsonOptions), context.RequestAborted);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxEchoedBodyBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
