using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real destination service on Kestrel at 127.0.0.1:0. It echoes each request as JSON (method, path, query,
/// headers) and records it; <c>?delayMs=N</c> makes it answer late.
/// </summary>
public sealed class TestDestination : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestDestination(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public List<HttpRequestRecord> Received { get; } = [];

    public static async Task<TestDestination> StartAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestDestination? destination = null;
        app.Run(async context =>
        {
            var record = new HttpRequestRecord(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase));
            lock (destination!.Received)
            {
                destination.Received.Add(record);
            }

            if (int.TryParse(context.Request.Query["delayMs"], out var delay))
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            await context.Response.WriteAsJsonAsync(record);
        });

        await app.StartAsync();
        destination = new TestDestination(app, Loopback.AddressOf(app));
        return destination;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record HttpRequestRecord(string Method, string Path, string Query, Dictionary<string, string?[]> Headers)
{
    public static async Task<HttpRequestRecord> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<HttpRequestRecord>(await response.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web))
        ?? throw new InvalidOperationException("The destination answered no JSON.");
}
