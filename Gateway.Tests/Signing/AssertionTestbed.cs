using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Signing;

/// <summary>
/// A gateway signer registered exactly as the host registers it (AddIdentityAssertions over configuration), a
/// clock the test moves, and verifiers configured the way a downstream service would be.
/// </summary>
internal sealed class AssertionTestbed : IDisposable
{
    public const string Orders = "orders";
    public const string Billing = "billing";
    public const string OrderPath = "/orders/42?x=1";

    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    public static readonly AssertedIdentity Alice = new(
        UnionId: new UnionId("o6_bmasdasdsad6_2sgVt7hMZOPfL"),
        PersonId: new PersonId(1001),
        OpenId: new OpenId("oLVPpjqs9BhvzwPj5A-vTYAX3GLc"),
        AppId: new AppId("wx1234567890abcdef"),
        Channel: AssertionChannels.OfficialAccount,
        LegacyUserId: "legacy-77");

    /// <summary>A person signed in through OpenID Connect: no unionid, openid or appid; provider, subject, e-mail and roles.</summary>
    public static readonly AssertedIdentity Olivia = new(
        UnionId: null,
        PersonId: new PersonId(1002),
        OpenId: null,
        AppId: null,
        Channel: AssertionChannels.Oidc,
        LegacyUserId: null,
        Provider: "corp",
        Subject: "248289761001",
        Email: "olivia@example.com",
        Roles: ["staff", "orders-admin"]);

    /// <summary>An API client's access token: no person at all.</summary>
    public static readonly AssertedIdentity ReportingClient = new(
        UnionId: null, PersonId: null, OpenId: null, AppId: null, Channel: AssertionChannels.Client, LegacyUserId: null,
        Provider: "corp", ClientId: "reporting-batch");

    private readonly ServiceProvider _services;

    public AssertionTestbed(IReadOnlyDictionary<string, string?> configuration)
    {
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Time)
            .AddIdentityAssertions(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build())
            .BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public IIdentityAssertionSigner Signer => _services.GetRequiredService<IIdentityAssertionSigner>();

    public string Jwks => _services.GetRequiredService<IdentityAssertionKeySet>().JsonWebKeySetDocument;

    /// <summary>Both test HS256 master secrets (the newer active) and the test ES256 key.</summary>
    public static AssertionTestbed Standard() => new(Configuration(
        hs256: [(TestKeys.PreviousHs256Id, TestKeys.PreviousHs256Secret), (TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret)],
        hs256Active: TestKeys.ActiveHs256Id,
        es256: [(TestKeys.Es256Id, TestKeys.Es256PrivateKeyPem)],
        es256Active: TestKeys.Es256Id));

    public static Dictionary<string, string?> Configuration(
        (string Id, string Secret)[] hs256, string? hs256Active, (string Id, string Pem)[] es256, string? es256Active)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Signing:Hs256:ActiveKeyId"] = hs256Active,
            ["Signing:Es256:ActiveKeyId"] = es256Active,
        };
        foreach (var (id, secret) in hs256)
        {
            configuration[$"Signing:Hs256:Keys:{id}:Secret"] = secret;
        }

        foreach (var (id, pem) in es256)
        {
            configuration[$"Signing:Es256:Keys:{id}:PrivateKeyPem"] = pem;
        }

        return configuration;
    }

    public SignedIdentityAssertion Sign(
        string algorithm, string audience = Orders, string method = "GET", string path = OrderPath, AssertedIdentity? identity = null) =>
        Signer.Sign(new IdentityAssertionRequest(audience, algorithm, method, path, identity ?? Alice));

    /// <summary>A downstream service for <paramref name="audience"/> holding its HS256 keys for the given master secrets and the published JWKS.</summary>
    public IdentityAssertionVerifier Verifier(string audience = Orders, params (string Id, string Secret)[] masters)
    {
        var options = new IdentityAssertionOptions { Audience = audience, Es256Jwks = Jwks };
        foreach (var (id, secret) in masters.Length > 0
                     ? masters
                     : [(TestKeys.PreviousHs256Id, TestKeys.PreviousHs256Secret), (TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret)])
        {
            options.Hs256Keys[id] = AudienceKey(secret, audience, id);
        }

        return new IdentityAssertionVerifier(options, Time);
    }

    public static string AudienceKey(string masterSecret, string audience, string keyId) =>
        Convert.ToBase64String(Hs256KeyDerivation.DeriveAudienceKey(Convert.FromBase64String(masterSecret), audience, keyId));

    public static HeaderDictionary Headers(SignedIdentityAssertion assertion)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in assertion.Headers)
        {
            headers.Append(name, value);
        }

        return headers;
    }

    /// <summary>Builds a token the way an attacker would: any header and payload, any signature function.</summary>
    public static string Forge(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        return signingInput + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    public static string JwsHeader(string alg, string kid, string typ = AssertionFormat.Type) =>
        $$"""{"alg":"{{alg}}","kid":"{{kid}}","typ":"{{typ}}"}""";

    public static Func<byte[], byte[]> Hmac(string base64Key) => input => HMACSHA256.HashData(Convert.FromBase64String(base64Key), input);

    /// <summary>The payload JSON of a token, to tamper with.</summary>
    public static string PayloadOf(string token) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1]));

    public void Dispose() => _services.Dispose();
}
