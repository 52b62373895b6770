using System.Text.Json;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Debian's Prometheus server (<c>/usr/bin/prometheus</c>, installed by test.sh) on a free loopback port with a
/// temporary configuration and storage, scraping one target every second. Stopped by its own PID on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/prometheus";

    private readonly ChildProcess _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(ChildProcess process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Output => _process.Output;

    /// <summary>Starts Prometheus scraping <c>http://{target}/metrics</c> as job <c>gateway</c>, and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install Debian's prometheus package (test.sh does).");
        var directory = Directory.CreateTempSubdirectory("gw-prometheus-").FullName;
        var configuration = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(configuration, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: gateway
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var process = ChildProcess.Start(Executable,
            [$"--config.file={configuration}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address={url.Authority}"],
            directory);
        var server = new PrometheusServer(process, directory, url);
        var ready = await Eventually.TrueAsync(async () =>
        {
            using var response = await server._http.GetAsync("/-/ready");
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30));
        if (!ready)
        {
            var output = server.Output;
            await server.DisposeAsync();
            Assert.Fail($"Prometheus did not become ready:\n{output}");
        }

        return server;
    }

    /// <summary>An instant query through the HTTP API (<c>/api/v1/query</c>): each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promQl));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Prometheus refused '{promQl}': {text}");
        using var document = JsonDocument.Parse(text);
        var data = document.RootElement.GetProperty("data");
        Assert.Equal("vector", data.GetProperty("resultType").GetString());
        return data.GetProperty("result").EnumerateArray()
            .Select(series => (
                (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                double.Parse(series.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
