using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Auth.Sessions;
using Gateway.Auth.Signing;
using Gateway.DemoDownstream;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Signing;
using Microsoft.AspNetCore.Builder;

namespace Gateway.Tests.Forwarding;

/// <summary>
/// The assertion as a real downstream sees it: the demo downstream, verifying with the shipped middleware,
/// behind the real gateway (docs/security.md §8).
/// </summary>
public sealed class AssertionThroughGatewayTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("ES256")]
    public async Task DestinationVerifiesTheAssertionForTheExactTargetItReceives(string algorithm)
    {
        var demo = await StartDemoAsync("backend");
        var gateway = await StartGatewayAsync(demo, algorithm);
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        var echo = await EchoAsync(await gateway.Public.SendAsync(session.Get("/api/orders/42?x=a%2Bb&name=%E5%B0%8F%20x")));

        Assert.Equal("verified", echo.GetProperty("identityVerification").GetString());
        var identity = echo.GetProperty("verifiedIdentity");
        Assert.Equal(session.Identity.UnionId?.Value, identity.GetProperty("unionId").GetString());
        Assert.Equal(session.Identity.PersonId.Value, identity.GetProperty("personId").GetInt64());
        Assert.Equal(session.Identity.OpenId?.Value, identity.GetProperty("openId").GetString());
        Assert.Equal("mini_program", identity.GetProperty("channel").GetString());
        Assert.Equal(algorithm, identity.GetProperty("algorithm").GetString());
        Assert.Equal("backend", identity.GetProperty("audience").GetString());
    }

    [Fact]
    public async Task TheDemoEchoIsCamelCaseAndItsPersonIdANumber()
    {
        var demo = await StartDemoAsync("backend");
        var gateway = await StartGatewayAsync(demo, "HS256");
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        var echo = await EchoAsync(await gateway.Public.SendAsync(session.Get("/api/orders/1")));

        // Header names and claim types are data, kept as received; every property name of the echo itself is camelCase.
        var names = echo.EnumerateObject().Where(p => p.Name is not ("headers" or "user"))
            .SelectMany(p => p.Value.ValueKind == JsonValueKind.Object ? p.Value.EnumerateObject().Select(inner => inner.Name).Prepend(p.Name) : [p.Name])
            .ToList();
        Assert.Contains("personId", names);
        Assert.All(names, name => Assert.True(char.IsAsciiLetterLower(name[0]), $"'{name}' is not camelCase"));
        Assert.Equal(JsonValueKind.Number, echo.GetProperty("verifiedIdentity").GetProperty("personId").ValueKind);
    }

    [Fact]
    public async Task AssertionCoversThePathAfterTheRoutesPathTransform()
    {
        var demo = await StartDemoAsync("backend");
        var gateway = await StartGatewayAsync(demo, "HS256");
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);

        var echo = await EchoAsync(await gateway.Public.SendAsync(session.Get("/prefixed/orders/7/%E5%B0%8F?q=1&r=%2F")));

        Assert.Equal("/orders/7/小", echo.GetProperty("path").GetString());
        Assert.Equal("verified", echo.GetProperty("identityVerification").GetString());
    }

    [Fact]
    public async Task AnonymousRequestPassesTheDemoAsAnonymous()
    {
        var demo = await StartDemoAsync("backend");
        var gateway = await StartGatewayAsync(demo, "HS256");

        var echo = await EchoAsync(await gateway.Public.GetAsync("/api/orders"));

        Assert.Equal("anonymous", echo.GetProperty("identityVerification").GetString());
    }

    [Fact]
    public async Task CapturedAssertionFailsOnAnotherPathWithAnotherMethodAndAtAnotherAudience()
    {
        var demo = await StartDemoAsync("backend");
        var otherService = await StartDemoAsync("other");
        var gateway = await StartGatewayAsync(demo, "ES256");
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        var captured = Captured(await EchoAsync(await gateway.Public.SendAsync(session.Get("/api/orders/42"))));

        // The capture itself is good for its lifetime, so each failure below is down to what was changed.
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(demo, HttpMethod.Get, "/orders/42", captured)).StatusCode);
        Assert.Equal("wrong_path", await RefusalAsync(await ReplayAsync(demo, HttpMethod.Get, "/orders/43", captured)));
        Assert.Equal("wrong_path", await RefusalAsync(await ReplayAsync(demo, HttpMethod.Get, "/orders/42?admin=1", captured)));
        Assert.Equal("wrong_method", await RefusalAsync(await ReplayAsync(demo, HttpMethod.Delete, "/orders/42", captured)));
        Assert.Equal("wrong_audience", await RefusalAsync(await ReplayAsync(otherService, HttpMethod.Get, "/orders/42", captured)));
    }

    [Fact]
    public async Task CapturedAssertionFailsAfterItsExpiry()
    {
        var demo = await StartDemoAsync("backend");
        var gateway = await StartGatewayAsync(demo, "HS256", new Dictionary<string, string?> { ["Signing:Lifetime"] = "00:00:01" });
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        var captured = Captured(await EchoAsync(await gateway.Public.SendAsync(session.Get("/api/orders/42"))));

        await Task.Delay(TimeSpan.FromSeconds(2.2));

        Assert.Equal("expired", await RefusalAsync(await ReplayAsync(demo, HttpMethod.Get, "/orders/42", captured)));
    }

    [Fact]
    public async Task RotatingTheHs256MasterSecretFailsNoRequest()
    {
        // The downstream already holds the audience keys of both secrets (print-audience-key prints both).
        var next = Convert.ToBase64String(Enumerable.Range(64, 32).Select(i => (byte)i).ToArray());
        var demo = await StartDemoAsync("backend", ("hs-next", next));
        var before = await StartGatewayAsync(demo, "HS256");
        var after = await StartGatewayAsync(demo, "HS256", new Dictionary<string, string?>
        {
            ["Signing:Hs256:ActiveKeyId"] = "hs-next",
            ["Signing:Hs256:Keys:hs-next:Secret"] = next,
        });

        foreach (var gateway in new[] { before, after })
        {
            var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
            var echo = await EchoAsync(await gateway.Public.SendAsync(session.Get("/api/x")));
            Assert.Equal("verified", echo.GetProperty("identityVerification").GetString());
        }
    }

    private static Dictionary<string, string> Captured(JsonElement echo)
    {
        var headers = echo.GetProperty("headers");
        var captured = new Dictionary<string, string>();
        foreach (var name in IdentityHeaders.All)
        {
            if (headers.TryGetProperty(name, out var value))
            {
                captured[name] = value.GetString()!;
            }
        }

        Assert.True(captured.ContainsKey(IdentityHeaders.Assertion));
        return captured;
    }

    private static async Task<HttpResponseMessage> ReplayAsync(Uri service, HttpMethod method, string target, Dictionary<string, string> headers)
    {
        using var client = new HttpClient { BaseAddress = service };
        var request = new HttpRequestMessage(method, target);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string?> RefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("reason").GetString();
    }

    private static async Task<JsonElement> EchoAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<Uri> StartDemoAsync(string audience, params (string Id, string Secret)[] extraSecrets)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(TestKeys.Es256PrivateKeyPem);
        List<string> args =
        [
            $"--IdentityAssertion:Audience={audience}",
            $"--IdentityAssertion:ClockSkew=00:00:00",
            $"--IdentityAssertion:Es256Jwks={JsonWebKeySet.Write([(TestKeys.Es256Id, ecdsa)])}",
        ];
        foreach (var (id, secret) in extraSecrets.Prepend((TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret)))
        {
            var key = Hs256KeyDerivation.DeriveAudienceKey(Convert.FromBase64String(secret), audience, id);
            args.Add($"--IdentityAssertion:Hs256Keys:{id}={Convert.ToBase64String(key)}");
        }

        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var app = DemoDownstreamApp.Create([.. args], url.ToString().TrimEnd('/'));
        await app.StartAsync();
        _disposables.Add(app);
        return url;
    }

    private async Task<GatewayInstance> StartGatewayAsync(Uri demo, string algorithm, IDictionary<string, string?>? settings = null)
    {
        var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(demo, [new TestRoute("api", "/api/{**rest}", "optional", PathRemovePrefix: "/api"), new TestRoute("prefixed", "/prefixed/{**rest}", "optional", PathRemovePrefix: "/prefixed")], assertionAlgorithm: algorithm),
            settings);
        _disposables.Add(gateway);
        return gateway;
    }
}
