using System.Net;
using System.Text.RegularExpressions;
using Gateway.OpenIdSandbox;
using Gateway.Tests.Login;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Oidc;

/// <summary>
/// A real OpenIddict provider (the sandbox OP) on Kestrel at 127.0.0.1:0, and the login testbed's gateway (MariaDB,
/// Redis, WeChat sandbox) with that provider configured as <c>Oidc:Providers:sandbox</c>.
/// </summary>
public sealed partial class OidcTestbed : IAsyncDisposable
{
    public const string Provider = "sandbox";

    private OidcTestbed(WebApplication provider, Uri issuer, LoginTestbed bed)
    {
        ProviderApp = provider;
        Issuer = issuer;
        Bed = bed;
    }

    public WebApplication ProviderApp { get; }

    public Uri Issuer { get; }

    public LoginTestbed Bed { get; }

    public static async Task<OidcTestbed> StartAsync()
    {
        var options = new OpenIdSandboxOptions
        {
            Url = "http://127.0.0.1:0",
            Clients =
            [
                new() { ClientId = "gateway", ClientSecret = "gateway-secret", RedirectUris = [LoginTestbed.PublicBaseUrl + "/auth/oidc/sandbox/callback"], PostLogoutRedirectUris = [LoginTestbed.PublicBaseUrl + "/auth/oidc/sandbox/signed-out"] },
            ],
        };
        var provider = await OpenIdSandboxServer.StartAsync(options);
        var issuer = new Uri(provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(address => address.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        // The provider's first answers (its model, keys, JIT) are slow on a loaded machine; the gateway's bounded
        // discovery call should not be what pays for them.
        using (var warmUp = new HttpClient { BaseAddress = issuer, Timeout = TimeSpan.FromSeconds(60) })
        {
            (await warmUp.GetAsync(".well-known/openid-configuration")).EnsureSuccessStatusCode();
            (await warmUp.GetAsync(".well-known/jwks")).EnsureSuccessStatusCode();
        }

        var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?>
        {
            ["Oidc:Providers:sandbox:Authority"] = issuer.ToString(),
            ["Oidc:Providers:sandbox:ClientId"] = "gateway",
            ["Oidc:Providers:sandbox:ClientSecret"] = "gateway-secret",
            ["Oidc:Providers:sandbox:RequireHttpsMetadata"] = "false",
            ["Oidc:Providers:sandbox:Scopes:0"] = "email",
            ["Oidc:Providers:sandbox:Scopes:1"] = "roles",
            ["Oidc:Providers:sandbox:RolesClaim"] = "role",
            ["Gateway:Authorization:Policies:staff:RequireRoles:0"] = "staff",
        });
        return new OidcTestbed(provider, issuer, bed);
    }

    /// <summary>
    /// Start at the gateway → the provider's login page → sign in as <paramref name="user"/>: the callback URL the
    /// provider sends the browser to (on the gateway's public origin).
    /// </summary>
    public async Task<string> AuthorizeAsync(TestBrowser browser, string user, string start = "/auth/oidc/sandbox/start?returnUrl=%2Fapi%2Fme")
    {
        using var started = await browser.GetAsync(start);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var authorize = started.Headers.Location!;
        Assert.StartsWith(Issuer.ToString(), authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);

        using var op = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Issuer };
        using var toLogin = await op.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        using var page = await op.GetAsync(toLogin.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("用户名", html, StringComparison.Ordinal);
        var returnUrl = WebUtility.HtmlDecode(HiddenReturnUrl().Match(html).Groups[1].Value);
        using var signedIn = await op.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = user, ["password"] = "sandbox", ["returnUrl"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var issued = await op.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var callback = issued.Headers.Location!.ToString();
        Assert.StartsWith(LoginTestbed.PublicBaseUrl + "/auth/oidc/sandbox/callback?", callback, StringComparison.Ordinal);
        return callback;
    }

    public async ValueTask DisposeAsync()
    {
        await Bed.DisposeAsync();
        await ProviderApp.DisposeAsync();
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenReturnUrl();
}
