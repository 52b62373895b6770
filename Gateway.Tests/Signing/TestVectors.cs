using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Auth.Signing;
using static Gateway.Tests.Signing.AssertionTestbed;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Signing;

/// <summary>
/// Builds docs/test-vectors.json with our signer: deterministic (fixed keys, clock and jti) except the ES256
/// signatures, which ECDSA randomises. Invalid cases are made the way an attacker or a broken hop would make them.
/// </summary>
internal static class TestVectors
{
    public const long IssuedAt = 1_795_000_000;
    public const long Now = IssuedAt + 10;
    public const string Path = "/orders/42?x=1&y=%2F";

    private static readonly AssertedIdentity WithoutUnionId = Alice with { UnionId = null, LegacyUserId = null, Channel = AssertionChannels.MiniProgram };

    public static JsonObject Build()
    {
        var validHs256 = Sign(TestKeys.ActiveHs256Id, AssertionFormat.Hs256, Orders, "GET", Path, Alice, "valid-hs256");
        var validEs256 = Sign(TestKeys.ActiveHs256Id, AssertionFormat.Es256, Orders, "POST", "/orders", WithoutUnionId, "valid-es256");
        var validOidc = Sign(TestKeys.ActiveHs256Id, AssertionFormat.Hs256, Orders, "GET", Path, Olivia, "valid-oidc-hs256");
        var ordersKey = AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id);
        var payload = PayloadOf(validHs256.Token);
        var oidcRoles = "\"rol\":[\"staff\",\"orders-admin\"]";
        using var unpublished = ECDsa.Create();
        unpublished.ImportFromPem(TestKeys.UnpublishedEs256PrivateKeyPem);
        using var published = ECDsa.Create();
        published.ImportFromPem(TestKeys.Es256PrivateKeyPem);
        var point = published.ExportParameters(false).Q;
        byte[] publicKeyBytes = [0x04, .. point.X!, .. point.Y!];

        var cases = new JsonArray
        {
            Valid("valid-hs256", "HS256 with the active master secret's key for this audience.", validHs256, "GET", Path, Now, Alice),
            Valid("valid-hs256-previous-key", "HS256 with the previous master secret: accepted while the rotation window lasts.",
                Sign(TestKeys.PreviousHs256Id, AssertionFormat.Hs256, Orders, "GET", Path, Alice, "previous-key"), "GET", Path, Now, Alice),
            Valid("valid-es256-without-unionid", "ES256; the user has no unionid, so there is no uid claim and no X-Union-Id header.",
                validEs256, "POST", "/orders", Now, WithoutUnionId),
            Valid("valid-oidc-hs256", "An OpenID Connect person without unionid, openid or appid: prv, sbj, eml and rol only in the assertion; no X-Union-Id, X-OpenId or X-AppId header.",
                validOidc, "GET", Path, Now, Olivia),
            Valid("valid-oidc-es256", "The same OpenID Connect person, ES256.",
                Sign(TestKeys.ActiveHs256Id, AssertionFormat.Es256, Orders, "POST", "/orders", Olivia, "valid-oidc-es256"), "POST", "/orders", Now, Olivia),
            Valid("valid-client", "An API client's access token: chn client, cid and prv, no person (no pid, no X-Person-Id header).",
                Sign(TestKeys.ActiveHs256Id, AssertionFormat.Hs256, Orders, "GET", Path, ReportingClient, "valid-client"), "GET", Path, Now, ReportingClient),
            Valid("valid-last-second", "now = exp + clock skew - 1.", validHs256, "GET", Path, IssuedAt + 60 + 5 - 1, Alice),
            Invalid("expired", "now = exp + clock skew.", validHs256, "GET", Path, IssuedAt + 60 + 5, AssertionFailureReasons.Expired),
            Invalid("not-yet-valid", "iat is more than the clock skew ahead of now.", validHs256, "GET", Path, IssuedAt - 6, AssertionFailureReasons.NotYetValid),
            Invalid("wrong-audience", "ES256 assertion for audience billing presented to orders (ES256 keys are shared).",
                Sign(TestKeys.ActiveHs256Id, AssertionFormat.Es256, Billing, "GET", Path, Alice, "wrong-audience"), "GET", Path, Now, AssertionFailureReasons.WrongAudience),
            Invalid("other-audience-hs256-key", "HS256 assertion made with billing's key, presented to orders.",
                Sign(TestKeys.ActiveHs256Id, AssertionFormat.Hs256, Billing, "GET", Path, Alice, "other-audience"), "GET", Path, Now, AssertionFailureReasons.BadSignature),
            Invalid("wrong-method", "Captured GET assertion replayed with DELETE.", validHs256, "DELETE", Path, Now, AssertionFailureReasons.WrongMethod),
            Invalid("wrong-path", "Captured assertion replayed to another resource.", validHs256, "GET", "/orders/43?x=1&y=%2F", Now, AssertionFailureReasons.WrongPath),
            Invalid("wrong-query", "Same resource, query spelled differently (%2f): the target is compared byte for byte.",
                validHs256, "GET", "/orders/42?x=1&y=%2f", Now, AssertionFailureReasons.WrongPath),
            Invalid("tampered-payload", "pid changed after signing; signature kept.",
                Replace(validHs256, validHs256.Token.Split('.')[0] + "." + Base64(payload.Replace("\"pid\":\"1001\"", "\"pid\":\"1002\"", StringComparison.Ordinal)) + "." + validHs256.Token.Split('.')[2]),
                "GET", Path, Now, AssertionFailureReasons.BadSignature),
            Invalid("alg-none", "alg none with an empty signature.",
                Replace(validHs256, Forge(JwsHeader("none", TestKeys.ActiveHs256Id), payload, _ => [])), "GET", Path, Now, AssertionFailureReasons.AlgorithmNotAllowed),
            Invalid("alg-confusion", "HS256 under the ES256 key id, HMAC keyed with the published public key (0x04||x||y).",
                Replace(validHs256, Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.Es256Id), payload, input => HMACSHA256.HashData(publicKeyBytes, input))),
                "GET", Path, Now, AssertionFailureReasons.AlgorithmNotAllowed),
            Invalid("unknown-kid", "A key id the verifier does not hold.",
                Replace(validHs256, Forge(JwsHeader(AssertionFormat.Hs256, "hs-2099-01"), payload, Hmac(ordersKey))), "GET", Path, Now, AssertionFailureReasons.UnknownKey),
            Invalid("unpublished-es256-key", "ES256 under the published key id, signed with another P-256 key.",
                Replace(validHs256, Forge(JwsHeader(AssertionFormat.Es256, TestKeys.Es256Id), payload, input => unpublished.SignData(input, HashAlgorithmName.SHA256))),
                "GET", Path, Now, AssertionFailureReasons.BadSignature),
            Invalid("wrong-issuer", "Correctly signed, but iss is not the configured issuer.",
                Replace(validHs256, Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id),
                    payload.Replace("\"iss\":\"wechat-auth-gateway\"", "\"iss\":\"someone-else\"", StringComparison.Ordinal), Hmac(ordersKey))),
                "GET", Path, Now, AssertionFailureReasons.WrongIssuer),
            Invalid("openid-as-unionid", "Correctly signed, but uid equals oid: an openid where a unionid belongs (THREATS 9).",
                WithHeader(Replace(validHs256, Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id),
                    payload.Replace(Alice.UnionId?.Value!, Alice.OpenId?.Value, StringComparison.Ordinal), Hmac(ordersKey))), IdentityHeaders.UnionId, Alice.OpenId?.Value),
                "GET", Path, Now, AssertionFailureReasons.SubjectConfusion),
            Invalid("header-changed", "X-Union-Id changed after signing.",
                WithHeader(validHs256, IdentityHeaders.UnionId, "o6_someone_else_entirely_0001"), "GET", Path, Now, AssertionFailureReasons.HeaderMismatch),
            Invalid("header-without-claim", "X-Union-Id carrying the openid beside an assertion without uid (THREATS 9).",
                WithHeader(validEs256, IdentityHeaders.UnionId, Alice.OpenId?.Value), "POST", "/orders", Now, AssertionFailureReasons.HeaderMismatch),
            Invalid("header-removed", "X-Legacy-User-Id removed although lid is asserted.",
                WithHeader(validHs256, IdentityHeaders.LegacyUserId, null), "GET", Path, Now, AssertionFailureReasons.HeaderMismatch),
            Invalid("client-with-pid", "Signed, but a client token names a person: chn client with pid (and X-Person-Id).",
                Sign(TestKeys.ActiveHs256Id, AssertionFormat.Hs256, Orders, "GET", Path, ReportingClient with { PersonId = new PersonId(1002) }, "client-with-pid"),
                "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("client-without-cid", "Signed, but a client token without cid.",
                Sign(TestKeys.ActiveHs256Id, AssertionFormat.Hs256, Orders, "GET", Path, ReportingClient with { ClientId = null }, "client-without-cid"),
                "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("oidc-without-sbj", "Signed, but chn oidc without sbj: the person is not named at the provider.",
                Sign(TestKeys.ActiveHs256Id, AssertionFormat.Hs256, Orders, "GET", Path, Olivia with { Subject = null }, "oidc-without-sbj"),
                "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("rol-not-array", "Correctly signed, but rol is a string, not an array of strings.",
                Replace(validOidc, Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id),
                    PayloadOf(validOidc.Token).Replace(oidcRoles, "\"rol\":\"staff\"", StringComparison.Ordinal), Hmac(ordersKey))),
                "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("rol-not-strings", "Correctly signed, but rol holds a number.",
                Replace(validOidc, Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id),
                    PayloadOf(validOidc.Token).Replace(oidcRoles, "\"rol\":[\"staff\",1]", StringComparison.Ordinal), Hmac(ordersKey))),
                "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("oidc-openid-header", "X-OpenId beside an OpenID Connect person's assertion, which has no oid.",
                WithHeader(validOidc, IdentityHeaders.OpenId, Alice.OpenId?.Value), "GET", Path, Now, AssertionFailureReasons.HeaderMismatch),
            Invalid("missing", "No X-Union-Id-Assertion header.", WithHeader(validHs256, IdentityHeaders.Assertion, null), "GET", Path, Now, AssertionFailureReasons.Missing),
            Invalid("malformed-two-parts", "Only header and payload.",
                Replace(validHs256, string.Join('.', validHs256.Token.Split('.')[..2])), "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("malformed-padding", "Base64url with '=' padding.", Replace(validHs256, validHs256.Token + "=="), "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("malformed-non-canonical-base64", "Signature's last character has non-zero unused bits.",
                Replace(validHs256, validHs256.Token[..^1] + NonCanonical(validHs256.Token[^1])), "GET", Path, Now, AssertionFailureReasons.Malformed),
            Invalid("malformed-typ", "typ is JWT, not wgw-id+jwt.",
                Replace(validHs256, Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id, "JWT"), payload, Hmac(ordersKey))), "GET", Path, Now, AssertionFailureReasons.Malformed),
        };

        return new JsonObject
        {
            ["description"] = "Identity assertion test vectors (docs/identity-assertion.md). Every key here is TEST ONLY and public: never configure them.",
            ["issued_at"] = IssuedAt,
            ["hs256"] = new JsonObject
            {
                ["master_secrets"] = new JsonArray(
                    MasterSecret(TestKeys.PreviousHs256Id, TestKeys.PreviousHs256Secret),
                    MasterSecret(TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret)),
                ["derivations"] = new JsonArray(
                    Derivation(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id),
                    Derivation(TestKeys.PreviousHs256Secret, Orders, TestKeys.PreviousHs256Id),
                    Derivation(TestKeys.ActiveHs256Secret, Billing, TestKeys.ActiveHs256Id)),
            },
            ["es256"] = new JsonObject
            {
                ["kid"] = TestKeys.Es256Id,
                ["private_key_pem"] = TestKeys.Es256PrivateKeyPem,
                ["unpublished_private_key_pem"] = TestKeys.UnpublishedEs256PrivateKeyPem,
            },
            ["verifier"] = new JsonObject
            {
                ["audience"] = Orders,
                ["issuer"] = AssertionFormat.DefaultIssuer,
                ["clock_skew_seconds"] = 5,
                ["hs256_keys"] = new JsonObject
                {
                    [TestKeys.ActiveHs256Id] = ordersKey,
                    [TestKeys.PreviousHs256Id] = AudienceKey(TestKeys.PreviousHs256Secret, Orders, TestKeys.PreviousHs256Id),
                },
                ["jwks"] = JsonNode.Parse(JsonWebKeySet.Write([(TestKeys.Es256Id, published)])),
            },
            ["cases"] = cases,
        };
    }

    private static SignedIdentityAssertion Sign(string hs256KeyId, string algorithm, string audience, string method, string path, AssertedIdentity identity, string jtiSeed)
    {
        var options = new SigningOptions
        {
            Hs256 = new Hs256SigningOptions
            {
                ActiveKeyId = hs256KeyId,
                Keys = new()
                {
                    [TestKeys.PreviousHs256Id] = new() { Secret = TestKeys.PreviousHs256Secret },
                    [TestKeys.ActiveHs256Id] = new() { Secret = TestKeys.ActiveHs256Secret },
                },
            },
            Es256 = new Es256SigningOptions { ActiveKeyId = TestKeys.Es256Id, Keys = new() { [TestKeys.Es256Id] = new() { PrivateKeyPem = TestKeys.Es256PrivateKeyPem } } },
        };
        using var ring = SigningKeyRing.LoadValidated(options);
        var jti = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes("jti:" + jtiSeed)).AsSpan(0, 16));
        var signer = new IdentityAssertionSigner(() => ring, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(IssuedAt)), () => jti);
        return signer.Sign(new IdentityAssertionRequest(audience, algorithm, method, path, identity));
    }

    private static string Base64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>The same 6-bit group with its lowest bit set: decodes to the same bytes by a lenient decoder.</summary>
    private static char NonCanonical(char last)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return Alphabet[Alphabet.IndexOf(last) | 1];
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Replace(SignedIdentityAssertion assertion, string token) =>
        WithHeader(assertion, IdentityHeaders.Assertion, token);

    private static IReadOnlyList<KeyValuePair<string, string>> WithHeader(SignedIdentityAssertion assertion, string name, string? value) =>
        WithHeader(assertion.Headers, name, value);

    private static IReadOnlyList<KeyValuePair<string, string>> WithHeader(IReadOnlyList<KeyValuePair<string, string>> headers, string name, string? value)
    {
        var result = headers.Where(h => h.Key != name).ToList();
        if (value is not null)
        {
            var index = headers.ToList().FindIndex(h => h.Key == name);
            result.Insert(index < 0 ? 0 : index, new(name, value));
        }

        return result;
    }

    private static JsonObject Valid(string name, string description, SignedIdentityAssertion assertion, string method, string path, long now, AssertedIdentity identity)
    {
        var vector = Case(name, description, assertion.Headers, method, path, now, "valid");
        vector["identity"] = Identity(
            identity.UnionId?.Value, identity.PersonId?.ToString(), identity.OpenId?.Value, identity.AppId?.Value, identity.Channel, identity.LegacyUserId,
            identity.Provider, identity.Subject, identity.Email, identity.Roles, identity.ClientId);
        return vector;
    }

    /// <summary>A valid case's expected identity, by claim name: absent claims are null, <c>rol</c> an array when there are roles.</summary>
    public static JsonObject Identity(
        string? uid, string? pid, string? oid, string? app, string? chn, string? lid,
        string? prv, string? sbj, string? eml, IReadOnlyList<string>? rol, string? cid) => new()
    {
        ["uid"] = uid,
        ["pid"] = pid,
        ["oid"] = oid,
        ["app"] = app,
        ["chn"] = chn,
        ["lid"] = lid,
        ["prv"] = prv,
        ["sbj"] = sbj,
        ["eml"] = eml,
        ["rol"] = rol is { Count: > 0 } ? new JsonArray([.. rol.Select(role => JsonValue.Create(role))]) : null,
        ["cid"] = cid,
    };

    private static JsonObject Invalid(string name, string description, SignedIdentityAssertion assertion, string method, string path, long now, string reason) =>
        Case(name, description, assertion.Headers, method, path, now, reason);

    private static JsonObject Invalid(string name, string description, IReadOnlyList<KeyValuePair<string, string>> headers, string method, string path, long now, string reason) =>
        Case(name, description, headers, method, path, now, reason);

    private static JsonObject Case(string name, string description, IReadOnlyList<KeyValuePair<string, string>> headers, string method, string path, long now, string expect)
    {
        var headerObject = new JsonObject();
        foreach (var (header, value) in headers)
        {
            headerObject[header] = value;
        }

        return new JsonObject
        {
            ["name"] = name,
            ["description"] = description,
            ["method"] = method,
            ["path"] = path,
            ["now"] = now,
            ["headers"] = headerObject,
            ["expect"] = expect,
        };
    }

    private static JsonObject MasterSecret(string kid, string secret) => new() { ["kid"] = kid, ["secret_b64"] = secret };

    private static JsonObject Derivation(string secret, string audience, string kid)
    {
        var key = Hs256KeyDerivation.DeriveAudienceKey(Convert.FromBase64String(secret), audience, kid);
        return new JsonObject
        {
            ["kid"] = kid,
            ["audience"] = audience,
            ["info"] = AssertionFormat.Hs256KeyInfoPrefix + audience + ":" + kid,
            ["key_hex"] = Convert.ToHexStringLower(key),
            ["key_b64"] = Convert.ToBase64String(key),
        };
    }
}
