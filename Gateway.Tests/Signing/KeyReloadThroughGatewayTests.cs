using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Auth.Sessions;
using Gateway.Auth.Signing;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>
/// docs/identity-assertion.md's rotation on one running gateway, with steady traffic to a downstream that verifies
/// every assertion: the key files and the <c>Signing</c> settings file are rewritten (new key added, made active,
/// old key removed) and no request fails, and after the switch every new request carries the new key id.
/// </summary>
public sealed class KeyReloadThroughGatewayTests : IAsyncLifetime
{
    private const string Audience = "backend";
    private const string OldHs = "hs-old";
    private const string NewHs = "hs-new";
    private const string OldEs = "es-old";
    private const string NewEs = "es-new";
    private const string PublicJwks = "/keys/jwks.json";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("key-reload-");
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<IDisposable> _cleanups = [];

    private string SettingsFile => Path.Combine(_directory.FullName, "signing.json");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        _cleanups.ForEach(cleanup => cleanup.Dispose());
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Hs256MasterSecretRotatesUnderSteadyTrafficWithoutARestartAndNoRequestFails()
    {
        var oldFile = KeyFile(OldHs, TestKeys.PreviousHs256Secret);
        WriteSettings(hs256: new() { [OldHs] = oldFile }, hs256Active: OldHs);
        var downstream = await StartDownstreamAsync(new JsonObject
        {
            ["Audience"] = Audience,
            ["Hs256Keys"] = new JsonObject
            {
                [OldHs] = AudienceKey(TestKeys.PreviousHs256Secret, Audience, OldHs),
                [NewHs] = AudienceKey(TestKeys.ActiveHs256Secret, Audience, NewHs),
            },
        });
        var gateway = await StartGatewayAsync(downstream, "HS256");
        var keys = gateway.Services.GetRequiredService<IdentityAssertionKeySet>();
        var traffic = await StartTrafficAsync(gateway);
        Assert.True(await traffic.ReachesAsync(OldHs));

        var newFile = KeyFile(NewHs, TestKeys.ActiveHs256Secret);
        WriteSettings(hs256: new() { [OldHs] = oldFile, [NewHs] = newFile }, hs256Active: OldHs);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(keys.DeriveHs256AudienceKeys(Audience).ContainsKey(NewHs)), TimeSpan.FromSeconds(30)));
        Assert.True(await traffic.ReachesAsync(OldHs), "adding a key does not change the key that signs");

        WriteSettings(hs256: new() { [OldHs] = oldFile, [NewHs] = newFile }, hs256Active: NewHs);
        Assert.True(await traffic.ReachesAsync(NewHs), "new requests are signed with the new key");

        WriteSettings(hs256: new() { [NewHs] = newFile }, hs256Active: NewHs);
        File.Delete(oldFile);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!keys.DeriveHs256AudienceKeys(Audience).ContainsKey(OldHs)), TimeSpan.FromSeconds(30)));
        Assert.True(await traffic.ReachesAsync(NewHs));

        await traffic.DisposeAsync();
        AssertNoFailureAndOnlyTheNewKeyAfterTheSwitch(traffic, OldHs, NewHs);
    }

    [Fact]
    public async Task Es256KeyRotatesUnderSteadyTrafficWithThePublicJwksFollowingAtOnceAndNoRequestFails()
    {
        var oldFile = KeyFile(OldEs, TestKeys.Es256PrivateKeyPem);
        WriteSettings(es256: new() { [OldEs] = oldFile }, es256Active: OldEs, publicJwksPath: PublicJwks);
        using var oldKey = System.Security.Cryptography.ECDsa.Create();
        oldKey.ImportFromPem(TestKeys.Es256PrivateKeyPem);
        var oldJwks = JsonWebKeySet.Write([(OldEs, oldKey)]);
        var downstream = await StartDownstreamAsync(new JsonObject { ["Audience"] = Audience, ["Es256Jwks"] = oldJwks });
        var gateway = await StartGatewayAsync(downstream, "ES256");
        Assert.Equal(oldJwks, await PublicJwksAsync(gateway));
        var traffic = await StartTrafficAsync(gateway);
        Assert.True(await traffic.ReachesAsync(OldEs));

        var newFile = KeyFile(NewEs, TestKeys.UnpublishedEs256PrivateKeyPem);
        WriteSettings(es256: new() { [OldEs] = oldFile, [NewEs] = newFile }, es256Active: OldEs, publicJwksPath: PublicJwks);
        Assert.True(await Eventually.TrueAsync(async () => KeyIds(await PublicJwksAsync(gateway)).SequenceEqual([NewEs, OldEs]), TimeSpan.FromSeconds(30)));
        var published = await PublicJwksAsync(gateway);
        Assert.Equal(published, await gateway.Management.GetStringAsync(Microsoft.AspNetCore.Builder.IdentityAssertionJwksEndpointRouteBuilderExtensions.ManagementJwksPath));
        await downstream.ReconfigureAsync(new JsonObject { ["Audience"] = Audience, ["Es256Jwks"] = published });
        Assert.True(await traffic.ReachesAsync(OldEs), "adding a key does not change the key that signs");

        WriteSettings(es256: new() { [OldEs] = oldFile, [NewEs] = newFile }, es256Active: NewEs, publicJwksPath: PublicJwks);
        Assert.True(await traffic.ReachesAsync(NewEs), "new requests are signed with the new key");

        WriteSettings(es256: new() { [NewEs] = newFile }, es256Active: NewEs, publicJwksPath: PublicJwks);
        File.Delete(oldFile);
        Assert.True(await Eventually.TrueAsync(async () => KeyIds(await PublicJwksAsync(gateway)).SequenceEqual([NewEs]), TimeSpan.FromSeconds(30)));
        await downstream.ReconfigureAsync(new JsonObject { ["Audience"] = Audience, ["Es256Jwks"] = await PublicJwksAsync(gateway) });
        Assert.True(await traffic.ReachesAsync(NewEs));

        await traffic.DisposeAsync();
        AssertNoFailureAndOnlyTheNewKeyAfterTheSwitch(traffic, OldEs, NewEs);
        var keys = JsonDocument.Parse(await PublicJwksAsync(gateway)).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.All(keys, key => Assert.False(key.TryGetProperty("d", out _), "the public JWKS never carries a private key"));
    }

    [Fact]
    public async Task AnInvalidRotationIsRefusedNamingTheSettingAndTrafficKeepsFlowingOnTheOldKeys()
    {
        var oldFile = KeyFile(OldHs, TestKeys.PreviousHs256Secret);
        WriteSettings(hs256: new() { [OldHs] = oldFile }, hs256Active: OldHs);
        var downstream = await StartDownstreamAsync(new JsonObject
        {
            ["Audience"] = Audience,
            ["Hs256Keys"] = new JsonObject { [OldHs] = AudienceKey(TestKeys.PreviousHs256Secret, Audience, OldHs) },
        });
        var logs = new LogCapture();
        var gateway = await StartGatewayAsync(downstream, "HS256", logs);
        var traffic = await StartTrafficAsync(gateway);
        Assert.True(await traffic.ReachesAsync(OldHs));

        RotationFiles.WriteAtomically(oldFile, Convert.ToBase64String(new byte[16]));
        var tooShort = $"Signing:Hs256:Keys:{OldHs}:SecretFile '{oldFile}' is 16 bytes; at least 32 are required";
        Assert.True(await LoggedAsync(logs, tooShort), tooShort);
        Assert.Contains(tooShort, await ReadinessMessageAsync(gateway));
        Assert.True(await traffic.ReachesAsync(OldHs), "the gateway keeps signing with the previous key");

        WriteSettings(hs256: new() { [OldHs] = oldFile }, hs256Active: "hs-typo");
        const string unknownActive = "Signing:Hs256:ActiveKeyId 'hs-typo' does not name a key in Signing:Hs256:Keys";
        Assert.True(await LoggedAsync(logs, unknownActive), unknownActive);
        Assert.True(await traffic.ReachesAsync(OldHs), "the gateway keeps signing with the previous key");

        WriteSettings(hs256: new() { [OldHs] = oldFile }, hs256Active: OldHs, lifetime: "soon");
        Assert.True(await LoggedAsync(logs, "'Signing:Lifetime'"), "a value that does not bind is refused naming the setting");
        Assert.True(await traffic.ReachesAsync(OldHs), "the gateway keeps signing with the previous key");

        WriteSettings(hs256: new() { [OldHs] = oldFile }, hs256Active: OldHs);
        RotationFiles.WriteAtomically(oldFile, TestKeys.PreviousHs256Secret);
        Assert.True(await Eventually.TrueAsync(async () => await ReadinessMessageAsync(gateway) is null, TimeSpan.FromSeconds(30)), "a valid ring again clears the refusal");

        await traffic.DisposeAsync();
        Assert.Empty(traffic.Failures);
        Assert.All(traffic.Outcomes, outcome => Assert.Equal(OldHs, outcome.KeyId));
    }

    private static void AssertNoFailureAndOnlyTheNewKeyAfterTheSwitch(RotationTraffic traffic, string oldKey, string newKey)
    {
        Assert.Empty(traffic.Failures.Select(f => $"{f.Status}: {f.Body}"));
        var firstNew = traffic.FirstWith(newKey);
        Assert.DoesNotContain(traffic.Outcomes, o => o.SentAt > firstNew.AnsweredAt && o.KeyId == oldKey);
        Assert.Contains(traffic.Outcomes, o => o.KeyId == oldKey);
    }

    /// <summary>Whether the refusal was logged; lines are searched one by one, the traffic logs a great many.</summary>
    private static Task<bool> LoggedAsync(LogCapture logs, string text) =>
        Eventually.TrueAsync(() => Task.FromResult(logs.Lines.Any(line => line.Contains(text, StringComparison.Ordinal))), TimeSpan.FromSeconds(30));

    private string KeyFile(string keyId, string content)
    {
        var file = Path.Combine(_directory.FullName, keyId + ".key");
        RotationFiles.WriteAtomically(file, content);
        return file;
    }

    private void WriteSettings(
        Dictionary<string, string>? hs256 = null, string? hs256Active = null,
        Dictionary<string, string>? es256 = null, string? es256Active = null, string? publicJwksPath = null, string? lifetime = null)
    {
        var signing = new JsonObject();
        if (lifetime is not null)
        {
            signing["Lifetime"] = lifetime;
        }

        if (hs256 is not null)
        {
            signing["Hs256"] = new JsonObject
            {
                ["ActiveKeyId"] = hs256Active,
                ["Keys"] = new JsonObject(hs256.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)new JsonObject { ["SecretFile"] = k.Value }))),
            };
        }

        if (es256 is not null)
        {
            signing["Es256"] = new JsonObject
            {
                ["ActiveKeyId"] = es256Active,
                ["Keys"] = new JsonObject(es256.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)new JsonObject { ["PrivateKeyFile"] = k.Value }))),
            };
        }

        if (publicJwksPath is not null)
        {
            signing["PublicJwksPath"] = publicJwksPath;
        }

        RotationFiles.WriteAtomically(SettingsFile, new JsonObject { ["Signing"] = signing }.ToJsonString());
    }

    private async Task<VerifyingDownstream> StartDownstreamAsync(JsonObject identityAssertion)
    {
        var downstream = await VerifyingDownstream.StartAsync(_directory.FullName, identityAssertion);
        _disposables.Add(downstream);
        return downstream;
    }

    private async Task<GatewayInstance> StartGatewayAsync(VerifyingDownstream downstream, string algorithm, LogCapture? logs = null)
    {
        var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(downstream.Url, [new TestRoute("api", "/api/{**rest}", "optional")], assertionAlgorithm: algorithm),
            logs: logs,
            configurationFile: SettingsFile);
        _disposables.Add(gateway);
        return gateway;
    }

    private async Task<RotationTraffic> StartTrafficAsync(GatewayInstance gateway)
    {
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        var traffic = new RotationTraffic(gateway, session);
        _disposables.Add(traffic);
        _cleanups.Add(traffic);
        return traffic;
    }

    private static async Task<string> PublicJwksAsync(GatewayInstance gateway)
    {
        using var response = await gateway.Public.GetAsync(PublicJwks);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static IEnumerable<string> KeyIds(string jwks) =>
        JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!);

    /// <summary>The signing keys' entry in /readyz when it is not ok, or null.</summary>
    private static async Task<string?> ReadinessMessageAsync(GatewayInstance gateway)
    {
        var readiness = JsonDocument.Parse(await gateway.Public.GetStringAsync("/readyz")).RootElement;
        var check = readiness.GetProperty("checks").GetProperty(SigningKeysHealthCheck.Name);
        return check.GetProperty("status").GetString() == "ok" ? null : check.GetProperty("message").GetString();
    }
}
