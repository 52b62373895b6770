using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.OpenIdSandbox;

/// <summary>
/// A standards-complete OpenID Provider (OpenIddict) with a simple Chinese login page: authorization code + PKCE,
/// client credentials, introspection, end session and discovery with its signing keys. Its own Kestrel listener,
/// so nothing of it runs in the gateway's pipeline.
/// </summary>
public static class OpenIdSandboxServer
{
    /// <summary>The audience of access tokens it issues, and the resource server allowed to introspect them.</summary>
    public const string ApiAudience = "gateway-api";

    public const string ApiAudienceSecret = "sandbox-api-secret";

    private const string UserCookie = "OpenIdSandbox.User";

    /// <summary>A provider at <paramref name="url"/> (port 0 for any); its issuer is the address it really listens on.</summary>
    public static async Task<WebApplication> StartAsync(OpenIdSandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ApplyDefaults();
        var builder = WebApplication.CreateSlimBuilder();

        // Nothing of the host process's configuration: inside the gateway, its Kestrel:Endpoints (from environment
        // variables) would otherwise be bound a second time by this listener.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var database = new SqliteConnection("Data Source=:memory:");
        await database.OpenAsync(cancellationToken);
        builder.Services.AddSingleton(options);
        builder.Services.AddDbContext<SandboxDbContext>(db =>
        {
            db.UseSqlite(database);
            db.UseOpenIddict();
        });
        builder.Services.AddAuthentication(UserCookie).AddCookie(UserCookie, cookie =>
        {
            cookie.Cookie.Name = UserCookie;
            cookie.LoginPath = "/account/login";
        });
        builder.Services.AddAuthorization();
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<SandboxDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetEndSessionEndpointUris("connect/logout");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowClientCredentialsFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.Roles, "api");
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/account/login", (HttpContext context) => LoginPage.Render(context, error: false));
        app.MapPost("/account/login", SignInUserAsync).DisableAntiforgery();
        app.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeAsync);
        app.MapPost("/connect/token", (Delegate)TokenAsync);
        app.MapMethods("/connect/logout", ["GET", "POST"], (Delegate)EndSessionAsync);
        await app.StartAsync(cancellationToken);
        await SeedAsync(app.Services, options, cancellationToken);
        return app;
    }

    private static async Task SeedAsync(IServiceProvider services, OpenIdSandboxOptions options, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SandboxDbContext>().Database.EnsureCreatedAsync(ct);
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in options.Clients)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = client.ClientId,
                ClientSecret = client.ClientSecret,
                ClientType = ClientTypes.Confidential,
                Permissions = { Permissions.Endpoints.Token, Permissions.Endpoints.Introspection },
            };
            if (client.RedirectUris.Count > 0)
            {
                foreach (var uri in client.RedirectUris)
                {
                    descriptor.RedirectUris.Add(new Uri(uri));
                }

                foreach (var uri in client.PostLogoutRedirectUris)
                {
                    descriptor.PostLogoutRedirectUris.Add(new Uri(uri));
                }

                descriptor.Permissions.UnionWith([
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession, Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Scopes.Roles]);
                descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            }
            else
            {
                descriptor.Permissions.UnionWith([Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "api"]);
            }

            await applications.CreateAsync(descriptor, ct);
        }

        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ApiAudience,
            ClientSecret = ApiAudienceSecret,
            ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Introspection },
        }, ct);
    }

    private static async Task<IResult> SignInUserAsync(HttpContext context, OpenIdSandboxOptions options)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = options.Users.FirstOrDefault(u => u.UserName == form["username"].ToString() && u.Password == form["password"].ToString());
        if (user is null)
        {
            return LoginPage.Render(context, error: true);
        }

        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Subject)], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(UserCookie, new ClaimsPrincipal(identity));
        var returnUrl = form["returnUrl"].ToString();
        return Results.Redirect(returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal) ? returnUrl : "/");
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, OpenIdSandboxOptions options)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var signedIn = await context.AuthenticateAsync(UserCookie);
        var user = signedIn.Succeeded ? options.Users.FirstOrDefault(u => u.Subject == signedIn.Principal.FindFirstValue(Claims.Subject)) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            return Results.Redirect("/account/login?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.Name);
        identity.SetClaims(Claims.Role, [.. user.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(ApiAudience);
        identity.SetDestinations(static claim => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        ClaimsPrincipal principal;
        if (request.IsClientCredentialsGrantType())
        {
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            identity.SetClaim(Claims.Subject, request.ClientId).SetClaim(Claims.ClientId, request.ClientId);
            identity.SetScopes(request.GetScopes());
            identity.SetResources(ApiAudience);
            identity.SetDestinations(static claim => [Destinations.AccessToken]);
            principal = new ClaimsPrincipal(identity);
        }
        else
        {
            principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
                ?? throw new InvalidOperationException("The authorization code carries no principal.");
        }

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(UserCookie);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

}
