namespace Gateway.Hosting;

internal static class GatewayConfiguration
{
    public const string ProxyConfigFileKey = "Gateway:Proxy:ConfigFile";

    /// <summary>
    /// Adds the YARP routes and clusters file (<c>Gateway:Proxy:ConfigFile</c>, default <c>yarp.json</c> beside the
    /// gateway), reloaded when it changes. Environment variables and the command line are added again after it so
    /// they still override the file, as with every other ASP.NET Core setting.
    /// </summary>
    public static WebApplicationBuilder AddGatewayConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        var file = builder.Configuration[ProxyConfigFileKey] is { Length: > 0 } configured ? configured : "yarp.json";
        var path = Path.GetFullPath(file, builder.Environment.ContentRootPath);
        if (!File.Exists(path))
        {
            throw new GatewayConfigurationException([
                $"{ProxyConfigFileKey}: the proxy configuration file '{path}' does not exist."]);
        }

        builder.Configuration
            .AddJsonFile(path, optional: false, reloadOnChange: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        return builder;
    }
}
