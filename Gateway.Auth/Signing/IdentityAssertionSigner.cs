using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Auth.Signing;

/// <summary>Signs identity assertions with the active HS256 master secret (per audience) or the active ES256 key.</summary>
internal sealed class IdentityAssertionSigner : IIdentityAssertionSigner
{
    private readonly SigningKeyRing ring;
    private readonly string issuer;
    private readonly long lifetimeSeconds;
    private readonly TimeProvider timeProvider;
    private readonly Func<string> newTokenId;

    // Clusters are few and fixed by configuration, so deriving each audience key once is bounded.
    private readonly ConcurrentDictionary<(string Audience, string KeyId), byte[]> audienceKeys = new();

    public IdentityAssertionSigner(SigningKeyRing ring, SigningOptions options, TimeProvider timeProvider, Func<string> newTokenId)
    {
        this.ring = ring;
        issuer = options.Issuer;
        lifetimeSeconds = (long)options.Lifetime.TotalSeconds;
        this.timeProvider = timeProvider;
        this.newTokenId = newTokenId;
    }

    public SignedIdentityAssertion Sign(IdentityAssertionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckRequest(request);

        var identity = request.Identity;
        var keyId = request.Algorithm switch
        {
            AssertionFormat.Hs256 => ring.Hs256ActiveKeyId
                ?? throw new ArgumentException("No HS256 key is configured (Signing:Hs256:ActiveKeyId).", nameof(request)),
            AssertionFormat.Es256 => ring.Es256ActiveKeyId
                ?? throw new ArgumentException("No ES256 key is configured (Signing:Es256:ActiveKeyId).", nameof(request)),
            _ => throw new ArgumentException($"Algorithm '{request.Algorithm}' is not HS256 or ES256.", nameof(request)),
        };

        var signingInput = CompactJws.SigningInput(
            CompactJws.EncodeHeader(request.Algorithm, keyId),
            EncodePayload(request, timeProvider.GetUtcNow().ToUnixTimeSeconds()));
        var signingBytes = Encoding.ASCII.GetBytes(signingInput);
        var signature = request.Algorithm == AssertionFormat.Hs256
            ? HMACSHA256.HashData(AudienceKey(request.Audience, keyId), signingBytes)
            : ring.Es256ActiveKey!.Sign(signingBytes);
        var token = CompactJws.Complete(signingInput, signature);

        var headers = new List<KeyValuePair<string, string>>(IdentityHeaders.Bound.Count + 1);
        foreach (var (header, value) in IdentityHeaders.Bound)
        {
            if (value(identity) is { } text)
            {
                headers.Add(new(header, text));
            }
        }

        headers.Add(new(IdentityHeaders.Assertion, token));
        return new SignedIdentityAssertion(token, headers);
    }

    /// <summary>128 random bits, base64url: unique enough for a replay cache keyed on <c>jti</c>.</summary>
    public static string NewTokenId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    private byte[] AudienceKey(string audience, string keyId) =>
        audienceKeys.GetOrAdd((audience, keyId), k => Hs256KeyDerivation.DeriveAudienceKey(ring.Hs256MasterSecrets[k.KeyId], k.Audience, k.KeyId));

    private byte[] EncodePayload(IdentityAssertionRequest request, long now)
    {
        var identity = request.Identity;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactJws.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(AssertionClaimNames.Issuer, issuer);
            writer.WriteString(AssertionClaimNames.Audience, request.Audience);
            writer.WriteNumber(AssertionClaimNames.IssuedAt, now);
            writer.WriteNumber(AssertionClaimNames.ExpiresAt, now + lifetimeSeconds);
            writer.WriteString(AssertionClaimNames.TokenId, newTokenId());
            writer.WriteString(AssertionClaimNames.Method, request.Method.ToUpperInvariant());
            writer.WriteString(AssertionClaimNames.PathAndQuery, request.PathAndQuery);
            WriteOptional(writer, AssertionClaimNames.UnionId, identity.UnionId);
            WriteOptional(writer, AssertionClaimNames.PersonId, identity.PersonId);
            WriteOptional(writer, AssertionClaimNames.OpenId, identity.OpenId);
            WriteOptional(writer, AssertionClaimNames.AppId, identity.AppId);
            WriteOptional(writer, AssertionClaimNames.Channel, identity.Channel);
            WriteOptional(writer, AssertionClaimNames.LegacyUserId, identity.LegacyUserId);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string claim, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(claim, value);
        }
    }

    private static void CheckRequest(IdentityAssertionRequest request)
    {
        var identity = request.Identity ?? throw new ArgumentException("Identity is required.", nameof(request));
        if (string.IsNullOrEmpty(request.Audience))
        {
            throw new ArgumentException("Audience is required.", nameof(request));
        }

        if (string.IsNullOrEmpty(request.Method) || !request.Method.All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"Method '{request.Method}' is not an HTTP method.", nameof(request));
        }

        if (!request.PathAndQuery.StartsWith('/') || !IsHeaderSafe(request.PathAndQuery, 8192))
        {
            throw new ArgumentException("PathAndQuery must be the percent-encoded origin-form target, starting with '/'.", nameof(request));
        }

        foreach (var (header, value) in IdentityHeaders.Bound)
        {
            if (value(identity) is { } text && !IsHeaderSafe(text, 256))
            {
                throw new ArgumentException($"The value for {header} must be 1 to 256 visible ASCII characters.", nameof(request));
            }
        }

        if (identity.Channel is not null && !AssertionChannels.IsKnown(identity.Channel))
        {
            throw new ArgumentException($"Channel '{identity.Channel}' is not a known channel.", nameof(request));
        }

        // THREATS 9: a downstream keys accounts on uid; an openid there would merge or split people.
        if (identity.UnionId is not null && identity.UnionId == identity.OpenId)
        {
            throw new ArgumentException("UnionId equals OpenId: an openid is never asserted as a unionid.", nameof(request));
        }
    }

    private static bool IsHeaderSafe(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && value.All(c => c is > ' ' and < (char)0x7F);
}
