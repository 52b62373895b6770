using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Signing;

/// <summary>
/// A downstream service verifying with the package's authentication scheme, its <c>IdentityAssertion</c> section
/// in a JSON file reloaded on change (as a service's appsettings.json is). It answers a verified request with the
/// key id it verified, and anything else with the scheme's own 401 (or 401 for no assertion at all).
/// </summary>
internal sealed class VerifyingDownstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _file;

    private VerifyingDownstream(WebApplication app, string file)
    {
        _app = app;
        _file = file;
    }

    public Uri Url => Loopback.AddressOf(_app);

    public static async Task<VerifyingDownstream> StartAsync(string directory, JsonObject identityAssertion)
    {
        var file = Path.Combine(directory, "downstream.json");
        Write(file, identityAssertion);
        var builder = Loopback.CreateBuilder();
        builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: true);
        builder.Services.AddAuthentication().AddGatewayIdentityAssertion(_ => { });
        builder.Services.Configure<IdentityAssertionOptions>(
            IdentityAssertionDefaults.AuthenticationScheme, builder.Configuration.GetSection(IdentityAssertionOptions.SectionName));
        var app = builder.Build();
        app.UseAuthentication();
        app.Run(context => context.GetVerifiedIdentity() is { } identity
            ? context.Response.WriteAsync(identity.KeyId)
            : Results.Json(new { code = "identity_assertion_required" }, statusCode: 401).ExecuteAsync(context));
        await app.StartAsync();
        return new VerifyingDownstream(app, file);
    }

    /// <summary>Rewrites the settings file (atomically, as a deployment tool would) and waits until the scheme has them.</summary>
    public async Task ReconfigureAsync(JsonObject identityAssertion)
    {
        var monitor = _app.Services.GetRequiredService<IOptionsMonitor<IdentityAssertionOptions>>();
        var before = monitor.Get(IdentityAssertionDefaults.AuthenticationScheme);
        Write(_file, identityAssertion);
        Assert.True(await Eventually.TrueAsync(
            () => Task.FromResult(!ReferenceEquals(monitor.Get(IdentityAssertionDefaults.AuthenticationScheme), before)),
            TimeSpan.FromSeconds(30)), "the downstream reloads its IdentityAssertion settings");
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static void Write(string file, JsonObject identityAssertion) =>
        RotationFiles.WriteAtomically(file, new JsonObject { [IdentityAssertionOptions.SectionName] = identityAssertion.DeepClone() }.ToJsonString());
}

internal static class RotationFiles
{
    /// <summary>Writes beside the target and renames over it, so a reader never sees half a file.</summary>
    public static void WriteAtomically(string file, string content)
    {
        var temporary = file + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, file, overwrite: true);
    }
}
