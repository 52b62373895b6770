using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

/// <summary>
/// The soak of benchmarks/soak.sh. Requests start on a schedule (open loop: a slow answer does not slow the
/// offered load down): proxied GETs of /required/1 with a session drawn from a pool, and Mini Program logins whose new
/// sessions replace pool entries. Every report period one line: the period's requests, errors and p99 of each kind,
/// then the gateway's working set (/proc/PID/status VmRSS) and GC heap (GET /_gateway/runtime), and Redis's
/// used_memory and key count (redis-cli INFO memory, DBSIZE).
/// </summary>
internal sealed class Soak(Flows flows, Uri gateway, Uri management, string managementKey, int gatewayPid, int redisPort, string userPrefix, int users)
{
    /// <summary>Requests started but not answered beyond this are not started (counted as "skipped"): the gateway is past capacity.</summary>
    private const int MaxInFlight = 512;

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string[] _pool = new string[Math.Max(users, 1)];
    private readonly object _lock = new();
    private Period _period = new();
    private int _inFlight;
    private long _logins;

    public async Task<int> RunAsync(TimeSpan duration, TimeSpan reportEvery, double proxyPerSecond, double loginsPerSecond)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, _pool.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            _pool[i] = await flows.MiniProgramLoginAsync("mp", await flows.MiniProgramCodeAsync(Flows.MiniProgram, userPrefix + i)));
        Console.WriteLine("elapsed_s proxy_rps proxy_p99_ms logins_per_s login_p99_ms errors skipped sandbox_failures working_set_mb gc_heap_mb gc_committed_mb gen2 redis_used_mb redis_keys");
        await ReportAsync(TimeSpan.Zero, TimeSpan.Zero);

        var totalErrors = 0L;
        var clock = Stopwatch.StartNew();
        var (proxies, logins) = (0L, 0L);
        var nextReport = reportEvery;
        var pending = new List<Task>();
        var lastReport = TimeSpan.Zero;
        while (clock.Elapsed < duration)
        {
            var seconds = clock.Elapsed.TotalSeconds;
            for (; proxies < (long)(seconds * proxyPerSecond); proxies++)
            {
                Start(pending, ProxyAsync);
            }

            for (; logins < (long)(seconds * loginsPerSecond); logins++)
            {
                Start(pending, LoginAsync);
            }

            pending.RemoveAll(task => task.IsCompleted);
            if (clock.Elapsed >= nextReport)
            {
                totalErrors += await ReportAsync(clock.Elapsed, clock.Elapsed - lastReport);
                lastReport = clock.Elapsed;
                nextReport += reportEvery;
            }

            await Task.Delay(5);
        }

        await Task.WhenAll(pending);
        totalErrors += await ReportAsync(clock.Elapsed, clock.Elapsed - lastReport);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total proxied={proxies} logins={logins} errors={totalErrors}"));
        return 0;
    }

    private void Start(List<Task> pending, Func<Task<(string Kind, double Milliseconds, bool Ok)>> request)
    {
        if (Interlocked.Increment(ref _inFlight) > MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            lock (_lock)
            {
                _period.Skipped++;
            }

            return;
        }

        pending.Add(Task.Run(async () =>
        {
            try
            {
                var (kind, milliseconds, ok) = await request();
                lock (_lock)
                {
                    if (kind == "sandbox")
                    {
                        _period.SandboxFailures++;
                        return;
                    }

                    (kind == "login" ? _period.Logins : _period.Proxied).Add(milliseconds);
                    _period.Errors += ok ? 0 : 1;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }));
    }

    private async Task<(string, double, bool)> ProxyAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, "/required/1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _pool[Random.Shared.Next(_pool.Length)]);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await Console.Error.WriteLineAsync($"proxy: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            }

            return ("proxy", Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.StatusCode == HttpStatusCode.OK);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"proxy: no answer after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {e.GetType().Name} {e.Message}");
            return ("proxy", Stopwatch.GetElapsedTime(started).TotalMilliseconds, false);
        }
    }

    private async Task<(string, double, bool)> LoginAsync()
    {
        var n = Interlocked.Increment(ref _logins);
        string code;
        try
        {
            code = await flows.MiniProgramCodeAsync(Flows.MiniProgram, userPrefix + (n % users));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            // The sandbox (WeChat's side) failed before the gateway was asked: counted apart, not as a login.
            await Console.Error.WriteLineAsync("sandbox: " + e.Message);
            return ("sandbox", 0, true);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var token = await flows.MiniProgramLoginAsync("mp", code);
            _pool[Random.Shared.Next(_pool.Length)] = token;
            return ("login", Stopwatch.GetElapsedTime(started).TotalMilliseconds, true);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("login: " + e.Message);
            return ("login", Stopwatch.GetElapsedTime(started).TotalMilliseconds, false);
        }
    }

    /// <summary>Prints the period's line and starts a new period; returns the period's errors.</summary>
    private async Task<long> ReportAsync(TimeSpan elapsed, TimeSpan length)
    {
        Period period;
        lock (_lock)
        {
            (period, _period) = (_period, new Period());
        }

        var seconds = Math.Max(length.TotalSeconds, 1e-9);
        var runtime = await RuntimeAsync();
        var redis = await RedisAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{elapsed.TotalSeconds,9:0} {period.Proxied.Count / seconds,9:0} {P99(period.Proxied),12:0.00} {period.Logins.Count / seconds,12:0.0} {P99(period.Logins),12:0.00} {period.Errors,6} {period.Skipped,7} {period.SandboxFailures,16} {WorkingSetMegabytes(),14:0.0} {runtime.Heap,10:0.0} {runtime.Committed,15:0.0} {runtime.Gen2,4} {redis.UsedMegabytes,13:0.0} {redis.Keys,10}"));
        return period.Errors;
    }

    private double WorkingSetMegabytes()
    {
        var line = File.ReadLines($"/proc/{gatewayPid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private async Task<(double Heap, double Committed, int Gen2)> RuntimeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(management, "/_gateway/runtime"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", managementKey);
        using var response = await _http.SendAsync(request);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (status.GetProperty("gcHeapSizeBytes").GetInt64() / 1048576.0, status.GetProperty("gcCommittedBytes").GetInt64() / 1048576.0,
            status.GetProperty("collections")[2].GetInt32());
    }

    private async Task<(double UsedMegabytes, long Keys)> RedisAsync()
    {
        var info = await RedisCliAsync("info", "memory");
        var used = info.Split('\n').First(l => l.StartsWith("used_memory:", StringComparison.Ordinal))["used_memory:".Length..].Trim();
        return (long.Parse(used, CultureInfo.InvariantCulture) / 1048576.0, long.Parse((await RedisCliAsync("dbsize")).Trim(), CultureInfo.InvariantCulture));
    }

    private async Task<string> RedisCliAsync(params string[] command)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", redisPort.ToString(CultureInfo.InvariantCulture) }.Concat(command))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private static double P99(List<double> latencies)
    {
        if (latencies.Count == 0)
        {
            return 0;
        }

        latencies.Sort();
        return latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(0.99 * latencies.Count) - 1)];
    }

    private sealed class Period
    {
        public List<double> Proxied { get; } = [];

        public List<double> Logins { get; } = [];

        public long Errors { get; set; }

        public long Skipped { get; set; }

        public long SandboxFailures { get; set; }
    }
}
