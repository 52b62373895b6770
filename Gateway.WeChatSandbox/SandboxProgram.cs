namespace Gateway.WeChatSandbox;

/// <summary>
/// Runs the sandbox on its own for front-end developers:
/// <c>dotnet run --project Gateway.WeChatSandbox --urls http://127.0.0.1:5090</c> (5090 is also the default).
/// </summary>
public static class SandboxProgram
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
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
