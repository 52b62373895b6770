using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;
using Gateway.Tests.WeChatSandbox;
using Gateway.WeChatSandbox;
using Xunit.Abstractions;

namespace Gateway.Tests.Hosting;

/// <summary>
/// Three real gateway processes behind Debian's nginx (round robin, passive health checks, the configuration
/// docs/high-availability.md shows), sharing one Redis and one MariaDB database, with WeChat simulated by the sandbox.
/// Under steady login-and-proxy traffic one instance is killed (SIGKILL) and another restarted (SIGTERM, start again).
/// </summary>
[Collection(WholeMachineCollection.Name)]
public sealed class ThreeInstancesBehindNginxTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Login:RateLimit:PerClientPermits: what one address may do in a window, on all instances together.</summary>
    private const int PerAddressLogins = 6;

    private const int Clients = 6;

    private static readonly TimeSpan RevocationBound = TimeSpan.FromSeconds(1);

    private readonly List<GatewayProcess> _instances = [];
    private readonly string _yarp = Path.Combine(Directory.CreateTempSubdirectory("gateway-test-nginx-yarp-").FullName, "yarp.json");
    private WeChatSandboxServer _sandbox = null!;
    private TestDestination _destination = null!;
    private string _database = null!;
    private NginxProcess _nginx = null!;
    private HttpClient _balanced = null!;
    private int _nextAddress;
    private string _stopEvents = "";

    public async Task InitializeAsync()
    {
        _sandbox = await WeChatSandboxServer.StartAsync(options => options.Users =
        [
            .. WeChatSandboxDefaults.Users(),
            .. Enumerable.Range(0, Clients + 1).Select(n => new SandboxUser { Key = User(n), Nickname = "负载 " + n }),
        ]);
        _destination = await TestDestination.StartAsync();
        _database = await TestServers.CreateMySqlDatabaseAsync();
        await File.WriteAllTextAsync(_yarp, YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}", "required")));
        var settings = new Dictionary<string, string>
        {
            ["Gateway:Proxy:ConfigFile"] = _yarp,
            ["Gateway:TrustedProxies:0"] = "127.0.0.1",
            ["Storage:Relational:Provider"] = "MySql",
            ["Storage:Relational:ConnectionString"] = _database,
            ["Storage:Ephemeral:Provider"] = "Redis",
            ["Storage:Ephemeral:Redis"] = TestServers.RedisConfiguration,
            ["Storage:Ephemeral:KeyPrefix"] = TestServers.NewKeyPrefix(),
            ["WeChat:ApiBaseUrl"] = _sandbox.BaseUrl,
            ["WeChat:OpenBaseUrl"] = _sandbox.BaseUrl,
            ["WeChat:Apps:mp:Kind"] = "MiniProgram",
            ["WeChat:Apps:mp:AppId"] = LoginTestbed.MiniProgram,
            ["WeChat:Apps:mp:Secret"] = SandboxHarness.SecretOf(LoginTestbed.MiniProgram),
            ["Login:PublicBaseUrl"] = LoginTestbed.PublicBaseUrl,
            ["Login:RateLimit:PerClientPermits"] = PerAddressLogins.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Login:RateLimit:PerOpenIdPermits"] = "100000",
        };
        for (var i = 0; i < 3; i++)
        {
            _instances.Add(new GatewayProcess(settings));
        }

        await Task.WhenAll(_instances.Select(instance => instance.StartAsync()));
        _nginx = await NginxProcess.StartAsync(Balancer(drained: null));
        _balanced = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _nginx.Url };
    }

    public async Task DisposeAsync()
    {
        _balanced?.Dispose();
        _nginx?.Dispose();
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _destination.DisposeAsync();
        await _sandbox.DisposeAsync();
        await TestServers.DropMySqlDatabaseAsync(_database);
        Directory.Delete(Path.GetDirectoryName(_yarp)!, recursive: true);
    }

    [Fact]
    public async Task AKilledAndARestartedInstanceLoseNoSessionAndFailOnlyTheLoginsInFlightOnTheKilledOne()
    {
        var (killed, restarted) = (_instances[0], _instances[1]);
        var outcomes = new ConcurrentQueue<Outcome>();
        var tokens = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() => ClientAsync(User(client), outcomes, tokens, stop.Token))));

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_instances.All(instance => outcomes.Any(o => o.ServedBy(instance) && o.Succeeded))), TimeSpan.FromSeconds(30)),
            "every instance serves traffic through nginx before the kill");
        var killStarted = Stopwatch.GetTimestamp();
        await killed.KillAsync();
        var killEnded = Stopwatch.GetTimestamp();
        Assert.True(await TrafficAfterAsync(killEnded, outcomes, 20), "traffic goes on without the killed instance");

        var restartedAt = await RestartAsync(restarted, outcomes);
        await killed.StartAsync();
        var recoveredAt = Stopwatch.GetTimestamp();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(outcomes.Any(o => o.Started > recoveredAt && o.ServedBy(killed) && o.Succeeded)), TimeSpan.FromSeconds(20)),
            "nginx sends traffic to the killed instance again once it is back");
        await stop.CancelAsync();
        await traffic;

        // A request in flight on the killed instance: it overlapped the kill and nginx passed it to that instance.
        // nginx retries an idempotent one on another instance; a login (POST) it cannot, so that one may fail.
        var all = outcomes.ToArray();
        var inFlightOnKilled = all.Where(o => o.Started < killEnded && o.Ended > killStarted && o.PassedTo(killed)).ToArray();
        var failures = all.Where(o => !o.Succeeded).ToArray();
        var unexplained = failures.Where(o => !inFlightOnKilled.Contains(o) || o.Kind != "login").ToArray();
        Assert.True(unexplained.Length == 0,
            $"{unexplained.Length} of {failures.Length} failures were not logins in flight on the killed instance: " + string.Join("; ", unexplained.Select(o => o.ToString()))
            + $"; instances {string.Join(", ", _instances.Select(i => i.PublicUrl.Authority))}; kill {killStarted}..{killEnded}, restarted {restartedAt}, recovered {recoveredAt}, stop {_stopEvents}");
        output.WriteLine($"{all.Length} requests through nginx, {inFlightOnKilled.Length} in flight on the killed instance, {failures.Length} failed, {tokens.Count} sessions issued");
        Assert.True(failures.Length <= inFlightOnKilled.Length, $"{failures.Length} failures, {inFlightOnKilled.Length} requests in flight on the killed instance");
        Assert.Contains(all, o => o.Succeeded && o.Started > restartedAt);

        // No session is lost: every session a client received still works on every instance, each asked directly.
        foreach (var instance in _instances)
        {
            var lost = await LostSessionsAsync(instance, tokens.ToArray());
            Assert.True(lost == 0, $"{lost} of {tokens.Count} sessions no longer work on {instance.PublicUrl}");
        }

        await LogoutEverywhereReachesEveryInstanceWithinOneSecondAsync();
        await ThePerAddressLoginLimitHoldsAcrossTheThreeAsync();
    }

    private async Task LogoutEverywhereReachesEveryInstanceWithinOneSecondAsync()
    {
        var phone = await LoginAsync(User(Clients), NextAddress());
        var browser = await LoginAsync(User(Clients), NextAddress());
        Assert.True(phone.Token is not null && browser.Token is not null, $"the logins succeed: {phone.Outcome}, {browser.Outcome}");
        foreach (var instance in _instances)
        {
            Assert.Equal(HttpStatusCode.OK, (await instance.Public.SendAsync(Bearer(HttpMethod.Get, "/api/warm", phone.Token))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await instance.Public.SendAsync(Bearer(HttpMethod.Get, "/api/warm", browser.Token))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _balanced.SendAsync(Bearer(HttpMethod.Post, "/auth/logout-everywhere", phone.Token))).StatusCode);
        var revokedAt = Stopwatch.GetTimestamp();

        // Judged by when each request started (as SessionRevocationTests does): every request started one bound after
        // the logout answered must be refused. A slow moment on a loaded machine delays the verdict but cannot fail it.
        foreach (var instance in _instances)
        {
            foreach (var token in new[] { phone.Token, browser.Token })
            {
                while (true)
                {
                    var startedAfter = Stopwatch.GetElapsedTime(revokedAt);
                    var status = (await instance.Public.SendAsync(Bearer(HttpMethod.Get, "/api/after", token))).StatusCode;
                    if (status != HttpStatusCode.OK)
                    {
                        Assert.Equal(HttpStatusCode.Unauthorized, status);
                        break;
                    }

                    Assert.True(startedAfter < RevocationBound, $"a request started {startedAfter} after logout everywhere still passed on {instance.PublicUrl}");
                    await Task.Delay(20);
                }
            }
        }
    }

    private async Task ThePerAddressLoginLimitHoldsAcrossTheThreeAsync()
    {
        var address = NextAddress();
        var attempts = new List<Outcome>();
        for (var i = 0; i < 3 * PerAddressLogins; i++)
        {
            attempts.Add((await LoginAsync(User(i % Clients), address)).Outcome);
        }

        var allowed = attempts.Where(o => o.Status == (int)HttpStatusCode.OK).ToArray();
        Assert.Equal(PerAddressLogins, allowed.Length);
        Assert.Equal(2 * PerAddressLogins, attempts.Count(o => o.Status == (int)HttpStatusCode.TooManyRequests));
        Assert.Equal(3, _instances.Count(instance => allowed.Any(o => o.ServedBy(instance))));
    }

    private async Task ClientAsync(string user, ConcurrentQueue<Outcome> outcomes, ConcurrentQueue<string> tokens, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var (login, token) = await LoginAsync(user, NextAddress());
            outcomes.Enqueue(login);
            if (token is null)
            {
                continue;
            }

            tokens.Enqueue(token);
            for (var i = 0; i < 5 && !stop.IsCancellationRequested; i++)
            {
                // One request in five answers late, so some are mid-flight whenever an instance dies.
                outcomes.Enqueue(await SendAsync("proxy", Bearer(HttpMethod.Get, i == 0 ? "/api/orders?delayMs=50" : $"/api/orders/{i}", token)));
            }
        }
    }

    /// <summary>The Mini Program login through nginx, from <paramref name="address"/> (X-Forwarded-For, as a CDN in front of nginx names the client).</summary>
    private async Task<(Outcome Outcome, string? Token)> LoginAsync(string user, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/wechat/miniprogram/mp/login")
        {
            Content = JsonContent.Create(new { code = _sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, user) }),
        };
        request.Headers.Add("X-Forwarded-For", address);
        string? token = null;
        var outcome = await SendAsync("login", request, async response =>
            token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return (outcome, token);
    }

    private async Task<Outcome> SendAsync(string kind, HttpRequestMessage request, Func<HttpResponseMessage, Task>? read = null)
    {
        // A connection per request, as most clients of a public gateway are many: a reload's retiring nginx worker
        // closes its idle keep-alive connections, and a request racing that close is the client's concern, not the gateway's.
        request.Headers.ConnectionClose = true;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _balanced.SendAsync(request);
            var upstream = response.Headers.TryGetValues("X-Upstream", out var values) ? string.Join(", ", values) : "";
            if (response.StatusCode == HttpStatusCode.OK && read is not null)
            {
                await read(response);
            }

            return new Outcome(kind, started, Stopwatch.GetTimestamp(), (int)response.StatusCode, upstream);
        }
        catch (HttpRequestException e)
        {
            return new Outcome(kind, started, Stopwatch.GetTimestamp(), 0, e.Message);
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>
    /// A planned restart as docs/high-availability.md describes it for nginx, which cannot drain an instance by itself:
    /// mark it <c>down</c> and reload, SIGTERM (it finishes what it holds), start it again on the same ports, put it back.
    /// Returns when it is back in the balancer.
    /// </summary>
    private async Task<long> RestartAsync(GatewayProcess instance, ConcurrentQueue<Outcome> outcomes)
    {
        await _nginx.ReloadAsync(Balancer(drained: instance));
        var reloaded = Stopwatch.GetTimestamp();
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(outcomes.TakeLast(10) is var last && last.Count() == 10 && last.All(o => o.Started > reloaded && !o.PassedTo(instance))), TimeSpan.FromSeconds(20)),
            "nginx stops sending to the drained instance");
        var stopping = Stopwatch.GetTimestamp();
        await instance.StopAsync();
        _stopEvents = $"{stopping}..{Stopwatch.GetTimestamp()}";
        Assert.True(await TrafficAfterAsync(Stopwatch.GetTimestamp(), outcomes, 10), "traffic goes on while the instance is stopped");
        await instance.StartAsync();
        await _nginx.ReloadAsync(Balancer(drained: null));
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Round robin over the three with passive health checks: the configuration docs/high-availability.md shows.</summary>
    private string Balancer(GatewayProcess? drained) => $$"""
        upstream gateway {
          {{string.Concat(_instances.Select(instance => $"server {instance.PublicUrl.Authority} {(instance == drained ? "down" : "max_fails=1 fail_timeout=2s")};\n"))}}
        }
        server {
          listen 127.0.0.1:{port};
          location / {
            proxy_pass http://gateway;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            add_header X-Upstream $upstream_addr always;
          }
        }
        """;

    private static Task<bool> TrafficAfterAsync(long timestamp, ConcurrentQueue<Outcome> outcomes, int successes) =>
        Eventually.TrueAsync(() => Task.FromResult(outcomes.Count(o => o.Started > timestamp && o.Succeeded) >= successes), TimeSpan.FromSeconds(20));

    private static async Task<int> LostSessionsAsync(GatewayProcess instance, string[] tokens)
    {
        var lost = 0;
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (token, cancellation) =>
        {
            using var response = await instance.Public.SendAsync(Bearer(HttpMethod.Get, "/auth/session", token), cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref lost);
            }
        });
        return lost;
    }

    private static HttpRequestMessage Bearer(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static string User(int n) => $"lb{n:00}";

    /// <summary>A client address of its own per login, so steady traffic stays under the per-address limit.</summary>
    private string NextAddress()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return $"198.51.{n / 250 % 250}.{(n % 250) + 1}";
    }

    /// <summary>One request through nginx: when, its status (0: no answer), and the instances nginx passed it to (X-Upstream).</summary>
    private sealed record Outcome(string Kind, long Started, long Ended, int Status, string Upstream)
    {
        public bool Succeeded => Status == (int)HttpStatusCode.OK;

        /// <summary>nginx passed the request to the instance (perhaps before retrying it on another).</summary>
        public bool PassedTo(GatewayProcess instance) => Upstream.Split(", ").Contains(instance.PublicUrl.Authority);

        /// <summary>The instance answered it (the last one nginx tried).</summary>
        public bool ServedBy(GatewayProcess instance) => Upstream.Split(", ")[^1] == instance.PublicUrl.Authority;

        public override string ToString() => $"{Kind} {Status} via [{Upstream}] at {Started}..{Ended}";
    }
}
