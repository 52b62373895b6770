using System.Diagnostics;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// The load generator shares the process (and the 2 cores) with the gateway, so absolute numbers include the
// client's work; the difference between the two scenarios is what the session check and the assertion add.
var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 32;
// "required" loads only the required route, for a trace of its allocations (dotnet-trace --profile gc-verbose).
var requiredOnly = args.Length > 2 && args[2] == "required";

var destinationBuilder = Loopback.CreateBuilder();
destinationBuilder.Logging.ClearProviders();
var destination = destinationBuilder.Build();
destination.Run(context => context.Response.WriteAsync("ok"));
await destination.StartAsync();

await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(Loopback.AddressOf(destination),
    new TestRoute("anonymous", "/anonymous/{**rest}", "anonymous"),
    new TestRoute("required", "/required/{**rest}", "required")));
var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false }) { BaseAddress = gateway.PublicUrl };
// Alternate the scenarios for a few rounds: the first round pays JIT tiering and connection warm-up for
// whichever runs first, so only the last round is compared.
(double RequestsPerSecond, double CpuMicroseconds, double Bytes) anonymous = default, required = default;
for (var round = 1; round <= 3; round++)
{
    Console.WriteLine($"round {round}:");
    if (!requiredOnly)
    {
        anonymous = await RunAsync("anonymous route, no session", () => new HttpRequestMessage(HttpMethod.Get, "/anonymous/orders/1?x=1"));
    }

    required = await RunAsync("required route, bearer session + HS256 assertion", () => session.Get("/required/orders/1?x=1"));
}

if (!requiredOnly)
{
    Console.WriteLine($"added CPU per request (last round): {required.CpuMicroseconds - anonymous.CpuMicroseconds:0.0} µs ({(required.CpuMicroseconds / anonymous.CpuMicroseconds - 1) * 100:0.0} %), "
    + $"added allocation per request: {(required.Bytes - anonymous.Bytes) / 1024:0.00} KB");
}

await destination.StopAsync();
return;

async Task<(double RequestsPerSecond, double CpuMicroseconds, double Bytes)> RunAsync(string name, Func<HttpRequestMessage> request)
{
    await LoadAsync(request, TimeSpan.FromSeconds(2));
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    var count = await LoadAsync(request, TimeSpan.FromSeconds(seconds));
    var elapsed = clock.Elapsed;
    process.Refresh();
    var cpuPerRequest = (process.TotalProcessorTime - cpu).TotalMicroseconds / count;
    var bytesPerRequest = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count;
    Console.WriteLine($"{name}: {count / elapsed.TotalSeconds:0} req/s, {cpuPerRequest:0.0} µs CPU and {bytesPerRequest / 1024:0.00} KB allocated per request (gateway + client)");
    return (count / elapsed.TotalSeconds, cpuPerRequest, bytesPerRequest);
}

async Task<long> LoadAsync(Func<HttpRequestMessage> request, TimeSpan duration)
{
    long count = 0;
    var stop = DateTime.UtcNow + duration;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (DateTime.UtcNow < stop)
        {
            using var response = await client.SendAsync(request());
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.StatusCode} from the gateway");
            }

            await response.Content.LoadIntoBufferAsync();
            Interlocked.Increment(ref count);
        }
    }));
    return count;
}
