using Gateway.Auth.Management;
using Gateway.Auth.Oidc;
using Gateway.Auth.Signing;
using Gateway.Hosting;

if (args is [HealthCheckCommand.Name, ..])
{
    return await HealthCheckCommand.RunAsync(args);
}

// Content root is the gateway's own folder, so a published gateway finds appsettings.json and yarp.json from
// any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddGatewayConfiguration(args);
if (args is [PrintAudienceKeyCommand.Name, .. var audience])
{
    return PrintAudienceKeyCommand.Run(audience, builder.Configuration, Console.Out);
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureGatewayListeners(builder.Configuration));

builder.Services.AddGatewayLocalization();
builder.Services.AddRelationalStore(builder.Configuration);
builder.Services.AddEphemeralStore(builder.Configuration);
builder.Services.AddGatewayIdentity(builder.Configuration);
builder.Services.AddIdentityAssertions(builder.Configuration);
builder.Services.AddGatewaySessions(builder.Configuration);
builder.Services.AddAuthentication().AddGatewaySession().AddOidcProviders(builder.Configuration);
builder.Services.AddGatewayAuthorization(builder.Configuration);
builder.Services.AddWeChatLogin(builder.Configuration);
builder.Services.AddTrustedProxies();
builder.Services.AddGatewayHealth();
builder.Services.AddGatewayManagement(builder.Configuration);
builder.Services.AddGatewayProxy(builder.Configuration);
builder.AddEmbeddedDefaults();

var app = builder.Build();

app.UseGatewayErrorShape();
app.UseGatewayLocalization();
app.UseTrustedProxies();
app.UseGatewayManagementAccess();
app.UseAuthentication();
app.UseAuthorization();
app.MapGatewayHealth();
app.MapGatewayManagement()
    .MapRouteTable()
    .MapIdentityManagement()
    .MapSessionManagement()
    .MapSessionKeyManagement();
app.MapIdentityAssertionJwks();
app.MapGatewaySessions();
app.MapWeChatLogin();
app.MapOidcSignIn();
app.MapEmbeddedDefaults();
app.MapGatewayProxy();
app.MapGatewayNotFoundFallback();

await app.RunAsync();
return 0;

public partial class Program;
