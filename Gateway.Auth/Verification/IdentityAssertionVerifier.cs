using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Auth.Verification;

/// <summary>
/// Verifies the gateway's identity assertion for one service (one audience). Keys are bound to their algorithm:
/// an HS256 key never checks an ES256 token and an ES256 public key is never used as an HMAC secret, and
/// <c>alg: none</c> names no key at all. A captured assertion stays valid for its lifetime on the same method and
/// target; services that must refuse even that keep a replay cache keyed on <see cref="VerifiedIdentityAssertion.TokenId"/>.
/// </summary>
public sealed class IdentityAssertionVerifier : IDisposable
{
    private readonly string audience;
    private readonly string issuer;
    private readonly long clockSkewSeconds;
    private readonly TimeProvider timeProvider;
    private readonly Dictionary<string, VerificationKey> keys = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public IdentityAssertionVerifier(IdentityAssertionVerifierOptions options, TimeProvider timeProvider)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        audience = options.Audience!;
        issuer = options.Issuer;
        clockSkewSeconds = (long)options.ClockSkew.TotalSeconds;
        this.timeProvider = timeProvider;
        foreach (var (keyId, key) in options.Hs256Keys)
        {
            keys.Add(keyId, new HmacKey(Convert.FromBase64String(key)));
        }

        if (options.Es256Jwks is { } jwks)
        {
            foreach (var (keyId, key) in JsonWebKeySet.ReadEs256PublicKeys(jwks))
            {
                keys.Add(keyId, new EcKey(key));
            }
        }
    }

    /// <summary>Every problem with the options, each message naming its setting under <c>IdentityAssertion</c>.</summary>
    public static IReadOnlyList<string> Validate(IdentityAssertionVerifierOptions options)
    {
        const string Section = IdentityAssertionVerifierOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add($"{Section}:Audience is required (the gateway's cluster id for this service).");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add($"{Section}:Issuer is required.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{Section}:ClockSkew must be between 00:00:00 and 00:01:00 (is {options.ClockSkew}).");
        }

        foreach (var (keyId, key) in options.Hs256Keys)
        {
            if (!AssertionFormat.IsValidKeyId(keyId))
            {
                errors.Add($"{Section}:Hs256Keys:{keyId} is not a valid key id.");
            }
            else if (!IsBase64Key(key))
            {
                errors.Add($"{Section}:Hs256Keys:{keyId} must be the 32-byte base64 key printed by print-audience-key.");
            }
        }

        var es256KeyIds = new List<string>();
        if (options.Es256Jwks is { } jwks)
        {
            try
            {
                var published = JsonWebKeySet.ReadEs256PublicKeys(jwks);
                es256KeyIds.AddRange(published.Keys);
                foreach (var key in published.Values)
                {
                    key.Dispose();
                }
            }
            catch (FormatException ex)
            {
                errors.Add($"{Section}:Es256Jwks is not a valid JWK Set: {ex.Message}");
            }
        }

        foreach (var keyId in es256KeyIds.Where(options.Hs256Keys.ContainsKey))
        {
            errors.Add($"{Section}:Es256Jwks key '{keyId}' has the id of an HS256 key in {Section}:Hs256Keys.");
        }

        if (options.Hs256Keys.Count == 0 && es256KeyIds.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{Section} needs at least one key: {Section}:Hs256Keys or an ES256 key in {Section}:Es256Jwks.");
        }

        return errors;
    }

    /// <param name="headers">The request headers as received.</param>
    /// <param name="method">The request method.</param>
    /// <param name="pathAndQuery">The request target as received (origin-form, still percent-encoded).</param>
    public IdentityAssertionVerificationResult Verify(IHeaderDictionary headers, string method, string pathAndQuery)
    {
        var assertion = headers[IdentityHeaders.Assertion];
        if (assertion.Count == 0)
        {
            return Fail(AssertionFailureReasons.Missing);
        }

        if (assertion.Count > 1 || !CompactJws.TryParse(assertion[0] ?? "", out var jws))
        {
            return Fail(AssertionFailureReasons.Malformed);
        }

        if (ReadObject(jws.HeaderJson) is not { } header
            || String(header, "alg") is not { } algorithm
            || String(header, "kid") is not { } keyId
            || String(header, "typ") != AssertionFormat.Type
            || header.ContainsKey("crit"))
        {
            return Fail(AssertionFailureReasons.Malformed);
        }

        if (!AssertionFormat.IsSupportedAlgorithm(algorithm))
        {
            return Fail(AssertionFailureReasons.AlgorithmNotAllowed);
        }

        if (!keys.TryGetValue(keyId, out var key))
        {
            return Fail(AssertionFailureReasons.UnknownKey);
        }

        if (key.Algorithm != algorithm)
        {
            return Fail(AssertionFailureReasons.AlgorithmNotAllowed);
        }

        if (!key.Verify(jws.SigningInput, jws.Signature))
        {
            return Fail(AssertionFailureReasons.BadSignature);
        }

        if (ReadClaims(jws.PayloadJson) is not { } claims)
        {
            return Fail(AssertionFailureReasons.Malformed);
        }

        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var reason = claims switch
        {
            _ when claims.Issuer != issuer => AssertionFailureReasons.WrongIssuer,
            _ when claims.Audience != audience => AssertionFailureReasons.WrongAudience,
            _ when now >= claims.ExpiresAt + clockSkewSeconds => AssertionFailureReasons.Expired,
            _ when claims.IssuedAt > now + clockSkewSeconds => AssertionFailureReasons.NotYetValid,
            _ when claims.Method != method.ToUpperInvariant() => AssertionFailureReasons.WrongMethod,
            _ when claims.PathAndQuery != pathAndQuery => AssertionFailureReasons.WrongPath,
            _ when claims.Identity.UnionId is not null && claims.Identity.UnionId == claims.Identity.OpenId => AssertionFailureReasons.SubjectConfusion,
            _ when !HeadersMatch(headers, claims.Identity) => AssertionFailureReasons.HeaderMismatch,
            _ => null,
        };
        if (reason is not null)
        {
            return Fail(reason);
        }

        var identity = claims.Identity;
        return IdentityAssertionVerificationResult.Success(new VerifiedIdentityAssertion(
            identity.UnionId, identity.PersonId, identity.OpenId, identity.AppId, identity.Channel, identity.LegacyUserId,
            claims.Audience, claims.TokenId, keyId, algorithm,
            DateTimeOffset.FromUnixTimeSeconds(claims.IssuedAt), DateTimeOffset.FromUnixTimeSeconds(claims.ExpiresAt)));
    }

    public void Dispose()
    {
        foreach (var key in keys.Values)
        {
            (key as IDisposable)?.Dispose();
        }
    }

    private static IdentityAssertionVerificationResult Fail(string reason) => IdentityAssertionVerificationResult.Failure(reason);

    private static bool IsBase64Key(string key)
    {
        var buffer = new byte[Hs256KeyDerivation.KeyLength + 3];
        return Convert.TryFromBase64String(key, buffer, out var length) && length == Hs256KeyDerivation.KeyLength;
    }

    /// <summary>A header the gateway did not sign, or one changed after signing, means someone else wrote it.</summary>
    private static bool HeadersMatch(IHeaderDictionary headers, AssertedIdentity identity)
    {
        foreach (var (header, value) in IdentityHeaders.Bound)
        {
            var expected = value(identity);
            StringValues actual = headers[header];
            var matches = expected is null ? actual.Count == 0 : actual.Count == 1 && actual[0] == expected;
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A JSON object's members; null when it is not an object or names a member twice.</summary>
    private static Dictionary<string, JsonElement>? ReadObject(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (!members.TryAdd(member.Name, member.Value.Clone()))
                {
                    return null;
                }
            }

            return members;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static AssertionClaims? ReadClaims(byte[] json)
    {
        if (ReadObject(json) is not { } payload
            || String(payload, AssertionClaimNames.Issuer) is not { } iss
            || String(payload, AssertionClaimNames.Audience) is not { } aud
            || Integer(payload, AssertionClaimNames.IssuedAt) is not { } iat
            || Integer(payload, AssertionClaimNames.ExpiresAt) is not { } exp
            || String(payload, AssertionClaimNames.TokenId) is not { } jti
            || String(payload, AssertionClaimNames.Method) is not { } htm
            || String(payload, AssertionClaimNames.PathAndQuery) is not { } htu
            || !OptionalString(payload, AssertionClaimNames.UnionId, out var uid)
            || !OptionalString(payload, AssertionClaimNames.PersonId, out var pid)
            || !OptionalString(payload, AssertionClaimNames.OpenId, out var oid)
            || !OptionalString(payload, AssertionClaimNames.AppId, out var app)
            || !OptionalString(payload, AssertionClaimNames.Channel, out var chn)
            || !OptionalString(payload, AssertionClaimNames.LegacyUserId, out var lid))
        {
            return null;
        }

        return new AssertionClaims(iss, aud, iat, exp, jti, htm, htu, new AssertedIdentity(uid, pid, oid, app, chn, lid));
    }

    private static string? String(Dictionary<string, JsonElement> members, string name) =>
        members.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Integer(Dictionary<string, JsonElement> members, string name) =>
        members.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    private static bool OptionalString(Dictionary<string, JsonElement> members, string name, out string? value)
    {
        value = null;
        if (!members.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        value = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }

    private sealed record AssertionClaims(
        string Issuer, string Audience, long IssuedAt, long ExpiresAt, string TokenId, string Method, string PathAndQuery, AssertedIdentity Identity);

    private abstract class VerificationKey
    {
        public abstract string Algorithm { get; }

        public abstract bool Verify(byte[] signingInput, byte[] signature);
    }

    private sealed class HmacKey(byte[] key) : VerificationKey
    {
        public override string Algorithm => AssertionFormat.Hs256;

        public override bool Verify(byte[] signingInput, byte[] signature) =>
            CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, signingInput), signature);
    }

    private sealed class EcKey(ECDsa key) : VerificationKey, IDisposable
    {
        private readonly Lock gate = new();

        public override string Algorithm => AssertionFormat.Es256;

        public override bool Verify(byte[] signingInput, byte[] signature)
        {
            if (signature.Length != 64)
            {
                return false;
            }

            lock (gate)
            {
                return key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
        }

        public void Dispose() => key.Dispose();
    }
}
