namespace Gateway.WeChatSandbox;

/// <summary>
/// Runs the sandbox on its own for front-end developers:
/// <c>dotnet run --project Gateway.WeChatSandbox --urls http://127.0.0.1:5090</c> (5090 is also the default).
/// Its settings come only from the command line and <c>WECHATSANDBOX_</c> environment variables: run from the
/// gateway's publish folder, it must not pick up the gateway's appsettings.json (its Kestrel endpoints would
/// override <c>--urls</c> and open the gateway's public port).
/// </summary>
public static class SandboxProgram
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    public const string EnvironmentPrefix = "WECHATSANDBOX_";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix).AddCommandLine(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // ASP.NET Core's request log would write every query string, appsecrets and codes included.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddWeChatSandbox();
        var app = builder.Build();
        app.MapWeChatSandbox();
        app.MapGet("/", () => Results.Redirect(WeChatSandboxEndpointRouteBuilderExtensions.DefaultPrefix + "/sandbox/"));
        app.Run();
    }
}
