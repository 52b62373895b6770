using System.Net;
using System.Text.Json;
using Gateway.OpenIdSandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.OpenIdSandbox;

/// <summary>
/// The sandbox OpenID Provider (OpenIddict) on Kestrel at 127.0.0.1:0, as a client sees it over HTTP: discovery
/// with its keys, the client-credentials grant for a machine client, introspection by the resource server, and
/// refusals with the standard OAuth error codes.
/// </summary>
public sealed class OpenIdSandboxServerTests : IAsyncLifetime
{
    private WebApplication? _provider;
    private HttpClient? _client;

    private HttpClient Client => _client ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _provider = await OpenIdSandboxServer.StartAsync(new OpenIdSandboxOptions { Url = "http://127.0.0.1:0" });
        var address = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task DiscoveryNamesItsOwnAddressAsIssuerAndTheCodeFlowWithPkce()
    {
        using var discovery = JsonDocument.Parse(await Client.GetStringAsync(".well-known/openid-configuration"));
        var root = discovery.RootElement;
        Assert.Equal(Client.BaseAddress!.ToString(), root.GetProperty("issuer").GetString());
        Assert.Contains("S256", root.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("client_credentials", root.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.EndsWith("/connect/introspect", root.GetProperty("introspection_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/logout", root.GetProperty("end_session_endpoint").GetString(), StringComparison.Ordinal);

        using var keys = JsonDocument.Parse(await Client.GetStringAsync(new Uri(root.GetProperty("jwks_uri").GetString()!)));
        Assert.NotEmpty(keys.RootElement.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task AMachineClientGetsAnAccessTokenThatIntrospectsAsActiveForItself()
    {
        var token = await ClientCredentialsAsync("partner-service", "sandbox-partner-secret");

        using var introspection = await IntrospectAsync(token, OpenIdSandboxServer.ApiAudience, OpenIdSandboxServer.ApiAudienceSecret);
        var root = introspection.RootElement;
        Assert.True(root.GetProperty("active").GetBoolean());
        Assert.Equal("partner-service", root.GetProperty("client_id").GetString());
        Assert.Contains("api", root.GetProperty("scope").GetString()!.Split(' '));
    }

    [Fact]
    public async Task AWrongClientSecretIsRefusedWithInvalidClient()
    {
        using var response = await Client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "partner-service",
            ["client_secret"] = "not-the-secret",
            ["scope"] = "api",
        }));

        // RFC 6749 §5.2: 401 for a failed client authentication.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ATokenItNeverIssuedIntrospectsAsInactive()
    {
        using var introspection = await IntrospectAsync("not-a-token", OpenIdSandboxServer.ApiAudience, OpenIdSandboxServer.ApiAudienceSecret);

        Assert.False(introspection.RootElement.GetProperty("active").GetBoolean());
    }

    private async Task<string> ClientCredentialsAsync(string clientId, string secret)
    {
        using var response = await Client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "api",
        }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<JsonDocument> IntrospectAsync(string token, string clientId, string secret)
    {
        using var response = await Client.PostAsync("connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text);
    }
}
