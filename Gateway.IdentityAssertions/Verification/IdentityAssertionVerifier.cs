using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.IdentityAssertions;

/// <summary>
/// Verifies the gateway's identity assertion for one service (one audience). Keys are bound to their algorithm:
/// an HS256 key never checks an ES256 token and an ES256 public key is never used as an HMAC secret, and
/// <c>alg: none</c> names no key at all. A captured assertion stays valid for its lifetime on the same method and
/// target; services that must refuse even that keep a replay cache keyed on <see cref="VerifiedIdentityAssertion.TokenId"/>.
/// </summary>
public sealed class IdentityAssertionVerifier : IDisposable
{
    private readonly string _audience;
    private readonly string _issuer;
    private readonly long _clockSkewSeconds;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, VerificationKey> _keys;

    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public IdentityAssertionVerifier(IdentityAssertionOptions options, TimeProvider timeProvider)
    {
        var errors = new List<string>();
        _keys = LoadKeys(options, errors);
        if (errors.Count > 0)
        {
            DisposeKeys(_keys);
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _audience = options.Audience!;
        _issuer = options.Issuer;
        _clockSkewSeconds = (long)options.ClockSkew.TotalSeconds;
        _timeProvider = timeProvider;
    }

    /// <summary>Every problem with the options, each message naming its setting under <c>IdentityAssertion</c>.</summary>
    public static IReadOnlyList<string> Validate(IdentityAssertionOptions options)
    {
        var errors = new List<string>();
        DisposeKeys(LoadKeys(options, errors));
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

        if (!_keys.TryGetValue(keyId, out var key))
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

        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var reason = claims switch
        {
            _ when claims.Issuer != _issuer => AssertionFailureReasons.WrongIssuer,
            _ when claims.Audience != _audience => AssertionFailureReasons.WrongAudience,
            _ when now >= claims.ExpiresAt + _clockSkewSeconds => AssertionFailureReasons.Expired,
            _ when claims.IssuedAt > now + _clockSkewSeconds => AssertionFailureReasons.NotYetValid,
            _ when !string.Equals(claims.Method, method, StringComparison.OrdinalIgnoreCase) => AssertionFailureReasons.WrongMethod,
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
            identity.UnionId is { } unionId ? new UnionId(unionId) : null,
            identity.PersonId is { } personId ? new PersonId(long.Parse(personId, NumberStyles.None, CultureInfo.InvariantCulture)) : null,
            identity.OpenId is { } openId ? new OpenId(openId) : null,
            identity.AppId is { } appId ? new AppId(appId) : null,
            identity.Channel,
            identity.LegacyUserId,
            claims.Audience, claims.TokenId, keyId, algorithm,
            DateTimeOffset.FromUnixTimeSeconds(claims.IssuedAt), DateTimeOffset.FromUnixTimeSeconds(claims.ExpiresAt))
        {
            Provider = identity.Provider,
            Subject = identity.Subject,
            Email = identity.Email,
            Roles = identity.Roles,
            ClientId = identity.ClientId,
        });
    }

    public void Dispose() => DisposeKeys(_keys);

    private static void DisposeKeys(Dictionary<string, VerificationKey> _keys)
    {
        foreach (var key in _keys.Values)
        {
            (key as IDisposable)?.Dispose();
        }
    }

    /// <summary>Decodes every configured key, collecting each problem instead of stopping at the first.</summary>
    private static Dictionary<string, VerificationKey> LoadKeys(IdentityAssertionOptions options, List<string> errors)
    {
        const string Section = IdentityAssertionOptions.SectionName;
        var _keys = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
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

        void Add(string setting, string keyId, VerificationKey key)
        {
            if (!AssertionFormat.IsValidKeyId(keyId))
            {
                errors.Add($"{setting} key id '{keyId}' is not a valid key id.");
            }
            else if (!_keys.TryAdd(keyId, key))
            {
                errors.Add($"{setting} key id '{keyId}' is used by another key; key ids are unique across algorithms.");
            }
            else
            {
                return;
            }

            (key as IDisposable)?.Dispose();
        }

        foreach (var (keyId, key) in options.Hs256Keys)
        {
            var bytes = new byte[Hs256KeyDerivation.KeyLength + 3];
            if (Convert.TryFromBase64String(key, bytes, out var length) && length == Hs256KeyDerivation.KeyLength)
            {
                Add($"{Section}:Hs256Keys:{keyId}", keyId, new HmacKey(bytes[..length]));
            }
            else
            {
                errors.Add($"{Section}:Hs256Keys:{keyId} must be the 32-byte base64 key printed by print-audience-key.");
            }
        }

        if (options.Es256Jwks is { } jwks)
        {
            try
            {
                foreach (var (keyId, key) in JsonWebKeySet.ReadEs256PublicKeys(jwks))
                {
                    Add($"{Section}:Es256Jwks", keyId, new EcKey(key));
                }
            }
            catch (FormatException ex)
            {
                errors.Add($"{Section}:Es256Jwks is not a valid JWK Set: {ex.Message}");
            }
        }

        foreach (var (keyId, pem) in options.Es256PublicKeys)
        {
            if (ImportP256PublicKey(pem) is { } key)
            {
                Add($"{Section}:Es256PublicKeys:{keyId}", keyId, new EcKey(key));
            }
            else
            {
                errors.Add($"{Section}:Es256PublicKeys:{keyId} is not a P-256 public key in PEM (BEGIN PUBLIC KEY).");
            }
        }

        if (_keys.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{Section} needs at least one key: {Section}:Hs256Keys, {Section}:Es256Jwks or {Section}:Es256PublicKeys.");
        }

        return _keys;
    }

    /// <summary>Only a public key: a downstream configured with the private key would be one leak away from forging.</summary>
    private static ECDsa? ImportP256PublicKey(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] != "PUBLIC KEY")
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(pem[fields.Base64Data]), out _);
            if (key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                return key;
            }
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            // Not an EC key: reported by the caller under the setting's name.
        }

        key.Dispose();
        return null;
    }

    private static IdentityAssertionVerificationResult Fail(string reason) => IdentityAssertionVerificationResult.Failure(reason);

    /// <summary>
    /// A header the gateway did not sign, one changed after signing, or one spelled so that PHP or CGI would read it
    /// as an identity header (<c>X_Union_Id</c>) means someone else wrote it: the gateway never forwards such a name.
    /// </summary>
    private static bool HeadersMatch(IHeaderDictionary headers, ClaimedIdentity identity)
    {
        foreach (var (header, value) in ClaimedIdentity.Bound)
        {
            var expected = value(identity);
            StringValues actual = headers[header];
            var matches = expected is null ? actual.Count == 0 : actual.Count == 1 && actual[0] == expected;
            if (!matches)
            {
                return false;
            }
        }

        foreach (var name in headers.Keys)
        {
            if (IdentityHeaders.IsIdentityHeader(name) && !IdentityHeaders.IsCanonical(name))
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
            || !OptionalString(payload, AssertionClaimNames.UnionId, out var uid) || uid is ""
            || !OptionalString(payload, AssertionClaimNames.PersonId, out var pid) || (pid is not null && !IsPersonId(pid))
            || !OptionalString(payload, AssertionClaimNames.OpenId, out var oid) || oid is ""
            || !OptionalString(payload, AssertionClaimNames.AppId, out var app) || app is ""
            || !OptionalString(payload, AssertionClaimNames.Channel, out var chn)
            || !OptionalString(payload, AssertionClaimNames.LegacyUserId, out var lid)
            || !OptionalString(payload, AssertionClaimNames.Provider, out var prv) || prv is ""
            || !OptionalString(payload, AssertionClaimNames.Subject, out var sbj) || sbj is ""
            || !OptionalString(payload, AssertionClaimNames.Email, out var eml)
            || !OptionalStrings(payload, AssertionClaimNames.Roles, out var rol)
            || !OptionalString(payload, AssertionClaimNames.ClientId, out var cid) || cid is "")
        {
            return null;
        }

        var identity = new ClaimedIdentity(uid, pid, oid, app, chn, lid, prv, sbj, eml, rol, cid);
        return IsConsistentWithChannel(identity) ? new AssertionClaims(iss, aud, iat, exp, jti, htm, htu, identity) : null;
    }

    /// <summary>
    /// An OpenID Connect person is named by provider and subject; an API client's token names its client and has no
    /// person. The gateway never writes anything else under these channels.
    /// </summary>
    private static bool IsConsistentWithChannel(ClaimedIdentity identity) => identity.Channel switch
    {
        AssertionChannels.Oidc => !string.IsNullOrEmpty(identity.Provider) && !string.IsNullOrEmpty(identity.Subject),
        AssertionChannels.Client => identity.PersonId is null && !string.IsNullOrEmpty(identity.ClientId),
        _ => true,
    };

    /// <summary>The gateway writes person ids as plain decimal numbers; anything else did not come from it.</summary>
    private static bool IsPersonId(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);

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

    /// <summary>An array of strings, absent or null meaning none; anything else is not what the gateway writes.</summary>
    private static bool OptionalStrings(Dictionary<string, JsonElement> members, string name, out IReadOnlyList<string> values)
    {
        values = [];
        if (!members.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        values = list;
        return true;
    }

    private sealed record AssertionClaims(
        string Issuer, string Audience, long IssuedAt, long ExpiresAt, string TokenId, string Method, string PathAndQuery, ClaimedIdentity Identity);

    /// <summary>The identity claims as the token spells them, before they become typed values.</summary>
    private sealed record ClaimedIdentity(
        string? UnionId, string? PersonId, string? OpenId, string? AppId, string? Channel, string? LegacyUserId,
        string? Provider, string? Subject, string? Email, IReadOnlyList<string> Roles, string? ClientId)
    {
        /// <summary>Each identity header and the claim whose value it must carry.</summary>
        public static IReadOnlyList<(string Header, Func<ClaimedIdentity, string?> Value)> Bound { get; } =
        [
            (IdentityHeaders.UnionId, identity => identity.UnionId),
            (IdentityHeaders.PersonId, identity => identity.PersonId),
            (IdentityHeaders.OpenId, identity => identity.OpenId),
            (IdentityHeaders.AppId, identity => identity.AppId),
            (IdentityHeaders.LegacyUserId, identity => identity.LegacyUserId),
        ];
    }

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
        private readonly Lock _gate = new();

        public override string Algorithm => AssertionFormat.Es256;

        public override bool Verify(byte[] signingInput, byte[] signature)
        {
            if (signature.Length != 64)
            {
                return false;
            }

            lock (_gate)
            {
                return key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
        }

        public void Dispose() => key.Dispose();
    }
}
