using Gateway.Auth.Management;
using Gateway.Auth.Oidc;
using Gateway.Auth.Signing;
using Gateway.Cli;
using Gateway.Hosting;

if (GatewayCommands.RunWithoutConfiguration(args, Console.Out) is { } handled)
{
    return handled;
}

if (args is [HealthCheckCommand.Name, ..])
{
    return await HealthCheckCommand.RunAsync(args);
}

WebApplication? app = null;
try
{
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
    builder.Services.AddGatewayShutdownDrain(builder.Configuration);
    builder.Services.AddGatewayManagement(builder.Configuration);
    builder.Services.AddGatewayProxy(builder.Configuration);
    builder.Services.AddGatewayTelemetry(builder.Configuration);
    builder.AddEmbeddedDefaults();

    app = builder.BuildChecked();
    if (await GatewayCommands.RunWithApplicationAsync(args, app) is { } done)
    {
        return done;
    }

    app.UseGatewayRequestTelemetry();
    app.UseGatewayErrorShape();
    app.UseGatewayLocalization();
    app.UseTrustedProxies();
    app.UseGatewayManagementAccess();
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapGatewayHealth();
    app.MapGatewayMetrics();
    app.MapGatewayManagement()
        .MapRouteTable()
        .MapRuntimeStatus()
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

    // app.RunAsync() without its dispose, so a failed start is still reported through the app's own logging.
    await app.StartAsync();
    await app.WaitForShutdownAsync();
    return ExitCodes.Success;
}
catch (Exception exception) when (StartupFailure.IsReported(exception))
{
    return StartupFailure.Report(exception, app?.Services);
}
finally
{
    if (app is not null)
    {
        await app.DisposeAsync();
    }
}

public partial class Program;
