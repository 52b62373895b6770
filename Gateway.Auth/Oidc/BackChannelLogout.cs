using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Auth.Login;
using Gateway.Auth.Sessions;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth.Oidc;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 at <c>POST /auth/oidc/{provider}/backchannel-logout</c>: the provider posts a
/// logout token, and the person it names loses every gateway session, on every instance, through the same revocation
/// as "log out everywhere". The token is checked in full before anything ends (docs/security.md, OIDC back-channel
/// logout): the provider's signature, iss, aud, iat within <see cref="MaxAge"/>, exp when present, the events claim,
/// no nonce, a sub, and a jti never seen before (kept in the shared store, so a replay to another instance fails too).
/// </summary>
internal static class BackChannelLogout
{
    public const string Event = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>How old a logout token may be; its jti is remembered at least this long.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    public static async Task HandleAsync(HttpContext context, string provider)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BackChannelLogout).FullName!);
        context.Response.Headers.CacheControl = "no-store";
        try
        {
            OidcEndpoints.Provider(context, provider);

            var token = await ReadTokenAsync(context);
            var (issuer, subject, jti) = await ValidateAsync(context, provider, token);
            var store = context.RequestServices.GetRequiredService<IEphemeralStore>();
            if (!await store.SetIfAbsentAsync(ReplayKey(provider, jti), "1", MaxAge + ClockSkew + ClockSkew, context.RequestAborted))
            {
                throw Invalid(OidcErrorCodes.LogoutTokenReplayed, "This logout token was already used.");
            }

            var personId = await context.RequestServices.GetRequiredService<OidcIdentityResolver>().FindPersonAsync(issuer, subject, context.RequestAborted);
            if (personId is { } person)
            {
                await context.RequestServices.GetRequiredService<SessionValidator>().RevokePersonAsync(person, context.RequestAborted);
            }

            OidcLog.BackChannelLogout(logger, provider, personId);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (Exception e) when (LoginFailures.Map(e, logger) is { } failure && !context.Response.HasStarted)
        {
            OidcLog.BackChannelLogoutRefused(logger, provider, failure.Code);
            await LoginResponses.ErrorJsonAsync(context, failure);
        }
    }

    private static async Task<string> ReadTokenAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "Post the logout token as application/x-www-form-urlencoded logout_token.");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "The request body is not a readable form.");
        }

        return form["logout_token"] is { Count: 1 } values && values[0] is { Length: > 0 and <= 16 * 1024 } token
            ? token
            : throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "Exactly one logout_token is required.");
    }

    private static async Task<(string Issuer, string Subject, string Jti)> ValidateAsync(HttpContext context, string provider, string token)
    {
        var handler = context.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcDefaults.Scheme(provider));
        var result = await ValidateWithKeysAsync(handler, token, await OidcEndpoints.ConfigurationAsync(handler, context.RequestAborted));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key the cached document does not hold yet: the provider may have rolled its keys over.
            handler.ConfigurationManager!.RequestRefresh();
            result = await ValidateWithKeysAsync(handler, token, await OidcEndpoints.ConfigurationAsync(handler, context.RequestAborted));
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "The logout token's signature, issuer, audience or lifetime does not check out.");
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat)
            || DateTimeOffset.FromUnixTimeSeconds(iat) is var issuedAt && (issuedAt < now - MaxAge || issuedAt > now + ClockSkew))
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "The logout token's iat is missing or not recent.");
        }

        if (!HasLogoutEvent(jwt))
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, $"The logout token's events claim must hold {Event} as a JSON object.");
        }

        if (jwt.TryGetClaim(JwtRegisteredClaimNames.Nonce, out _))
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "A logout token carries no nonce: this is another kind of token.");
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrEmpty(jti))
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "The logout token has no jti.");
        }

        // The gateway finds the person by (issuer, sub); a sid-only token names a provider session it does not track.
        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var subject) || string.IsNullOrEmpty(subject))
        {
            throw Invalid(OidcErrorCodes.LogoutTokenInvalid, "The logout token has no sub: the gateway ends sessions by subject.");
        }

        return (jwt.Issuer, subject, jti);
    }

    private static Task<TokenValidationResult> ValidateWithKeysAsync(OpenIdConnectOptions handler, string token, OpenIdConnectConfiguration configuration) =>
        Tokens.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = handler.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            RequireExpirationTime = false,
            ClockSkew = ClockSkew,
        });

    private static bool HasLogoutEvent(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<JsonElement>("events", out var events) || events.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        return events.TryGetProperty(Event, out var logout) && logout.ValueKind == JsonValueKind.Object;
    }

    private static string ReplayKey(string provider, string jti) =>
        $"oidc:bcl:{provider}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jti)))}";

    private static LoginException Invalid(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);
}
