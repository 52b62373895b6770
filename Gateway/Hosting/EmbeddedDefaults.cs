using Gateway.WeChatSandbox;

namespace Gateway.Hosting;

/// <summary>
/// The parts of the embedded default that must never run in production: the demo downstream, the WeChat
/// sandbox, the sandbox OpenID Provider and generated signing keys. Each is switched on by its own setting, and refused outright in the Production environment. The
/// switches are read from the final configuration (after every source, including those a host adds late).
/// </summary>
internal static class EmbeddedDefaults
{
    private static readonly string[] DevelopmentOnlySwitches =
    [
        "DemoDownstream:Enabled",
        WeChatSandboxOptions.SectionName + ":Enabled",
        Gateway.OpenIdSandbox.OpenIdSandboxOptions.SectionName + ":Enabled",
        "Signing:GenerateDevelopmentKeys",
    ];

    public static WebApplicationBuilder AddEmbeddedDefaults(this WebApplicationBuilder builder)
    {
        // Registered unconditionally and cheap when unused: whether they run is decided in MapEmbeddedDefaults.
        builder.Services.AddHostedService<DemoDownstreamHost>();
        builder.Services.AddHostedService<OpenIdSandboxHost>();
        builder.Services.AddWeChatSandbox();
        return builder;
    }

    /// <summary>The development-only switches that are on in the Production environment, one message for all.</summary>
    public static IReadOnlyList<string> ProductionErrors(IHostEnvironment environment, IConfiguration configuration)
    {
        var enabled = environment.IsProduction()
            ? DevelopmentOnlySwitches.Where(key => configuration.GetValue<bool>(key)).ToList()
            : [];
        return enabled.Count == 0
            ? []
            : [$"{string.Join(" and ", enabled)} must not be true in the Production environment: they belong to the embedded default (ASPNETCORE_ENVIRONMENT=Development)."];
    }

    public static WebApplication MapEmbeddedDefaults(this WebApplication app)
    {
        if (ProductionErrors(app.Environment, app.Configuration) is [_, ..] errors)
        {
            throw new GatewayConfigurationException(errors);
        }

        if (WeChatSandboxOptions.IsEnabled(app.Configuration))
        {
            app.MapWeChatSandbox();
        }

        return app;
    }
}
