// Plain YARP on the proxy configuration file named by --config (a yarp.json), listening on --urls. Logging
// matches the gateway's defaults (Yarp and Microsoft.AspNetCore at Warning), so neither proxy pays for logs the
// other skips.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddJsonFile(builder.Configuration["config"] ?? throw new InvalidOperationException("Pass --config <yarp.json>."), optional: false);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Yarp", LogLevel.Warning);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapReverseProxy();
app.Run();
