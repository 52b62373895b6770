using System.Net;
using Gateway.Tests.Infrastructure;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Auth.Identity;
using Gateway.Tests.Relational;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Identity;

/// <summary>The management endpoints over real HTTP on a loopback Kestrel, backed by SQLite.</summary>
public sealed class IdentityManagementEndpointTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();
    private readonly RecordingDisabledListener _listener = new();
    private WebApplication? _app;
    private HttpClient? _client;

    private HttpClient Client => _client ?? throw new InvalidOperationException("Not initialised.");

    private IIdentityResolver Resolver => _app!.Services.GetRequiredService<IIdentityResolver>();

    public async Task InitializeAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Relational:Provider"] = _database.Provider,
            ["Storage:Relational:ConnectionString"] = _database.ConnectionString,
        });
        builder.Services.AddSingleton<IPersonDisabledListener>(_listener);
        builder.Services.AddRelationalStore(builder.Configuration);
        builder.Services.AddGatewayIdentity(builder.Configuration);
        _app = builder.Build();
        _app.MapGroup("/manage").MapIdentityManagement();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(Loopback.AddressOf(_app), "/manage/") };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task APersonIsFoundByIdByUnionIdAndByOpenId()
    {
        var resolved = await Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-mgmt"), new UnionId("union-mgmt"), LoginChannel.MiniProgram, Profile: new LoginProfile("管理😀", null)));

        foreach (var path in new[] { $"persons/{resolved.PersonId}", "persons/by-unionid/union-mgmt", "persons/by-openid/wxmini/mini-mgmt" })
        {
            using var response = await Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(resolved.PersonId.Value, body.GetProperty("id").GetInt64());
            Assert.Equal("union-mgmt", body.GetProperty("unionId").GetString());
            Assert.Equal("管理😀", body.GetProperty("nickname").GetString());
            var identity = Assert.Single(body.GetProperty("appIdentities").EnumerateArray());
            Assert.Equal("mini_program", identity.GetProperty("channel").GetString());
            Assert.Equal("mini-mgmt", identity.GetProperty("openId").GetString());
        }
    }

    [Theory]
    [InlineData("persons/424242")]
    [InlineData("persons/by-unionid/nobody")]
    [InlineData("persons/by-openid/wxmini/nobody")]
    public async Task AnUnknownPersonIsA404WithACode(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("person_not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AMalformedUnionIdIsA400WithACodeAndMessage()
    {
        using var response = await Client.GetAsync("persons/by-unionid/x%27%20OR%20%271%27%3D%271");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_identity", body.GetProperty("code").GetString());
        Assert.StartsWith("UnionId", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisablingAPersonRefusesTheirLoginsAndTellsListenersUntilEnabled()
    {
        var login = new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-mgmt"), new UnionId("union-disable"), LoginChannel.OfficialAccount);
        var resolved = await Resolver.ResolveAsync(login);

        using var disable = await Client.PostAsync($"persons/{resolved.PersonId}/disable", null);

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.True((await disable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        Assert.Equal(resolved.PersonId.Value, Assert.Single(_listener.Disabled).Id);
        var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() => Resolver.ResolveAsync(login));
        Assert.Equal(IdentityErrorCodes.PersonDisabled, refused.Code);

        using var enable = await Client.PostAsync($"persons/{resolved.PersonId}/enable", null);

        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.False((await enable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        Assert.Equal(resolved.PersonId, (await Resolver.ResolveAsync(login)).PersonId);
    }

    [Fact]
    public async Task AListenerThatFailsIsReportedAs503WhileThePersonStaysDisabled()
    {
        var resolved = await Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-fail"), new UnionId("union-fail"), LoginChannel.OfficialAccount));
        _listener.Fail = true;

        using var disable = await Client.PostAsync($"persons/{resolved.PersonId}/disable", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, disable.StatusCode);
        Assert.Equal("disable_not_propagated", (await disable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        using var lookup = await Client.GetAsync($"persons/{resolved.PersonId}");
        Assert.True((await lookup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task DisablingAnUnknownPersonIsA404()
    {
        using var response = await Client.PostAsync("persons/424242/disable", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_listener.Disabled);
    }
}
