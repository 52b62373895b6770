using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// benchmarks/run.sh drives this in two ways:
//   sessions <gateway> <sandbox> <user-prefix> <users> <count> <tokens-file>
//       signs <users> sandbox users in through the Mini Program login <count> times in all (each login is a new
//       session) and writes one bearer token per line;
//   bench <gateway> <sandbox> <gateway-pid> <clock-ticks-per-second> <concurrency> <logins-per-flow> <returning-users>
//       runs the four login flows and prints one line per flow;
//   soak <gateway> <sandbox> <management> <management-key> <gateway-pid> <redis-port> <seconds> <report-seconds>
//        <proxy-per-second> <logins-per-second> <user-prefix> <users>
//       benchmarks/soak.sh: paced (open-loop) proxied requests on a pool of sessions and Mini Program logins that
//       add to it, one report line per period (see Soak.cs).
// Only the gateway's requests are timed. What a phone or WeChat would do (issuing codes, encrypting the user data)
// is a sandbox call made before the timed requests, on the other core.
var mode = args.ElementAtOrDefault(0);
if (mode == "sessions" && args.Length == 7)
{
    using var flows = new Flows(new Uri(args[1]), new Uri(args[2]));
    var users = int.Parse(args[4], CultureInfo.InvariantCulture);
    var count = int.Parse(args[5], CultureInfo.InvariantCulture);
    var tokens = new string[count];
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        tokens[i] = await flows.MiniProgramLoginAsync("mp", await flows.MiniProgramCodeAsync(Flows.MiniProgram, args[3] + (i % users))));
    await File.WriteAllLinesAsync(args[6], tokens);
    return 0;
}

if (mode == "bench" && args.Length == 8)
{
    using var flows = new Flows(new Uri(args[1]), new Uri(args[2]));
    var gatewayCpu = new ProcessCpu(int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
    var concurrency = int.Parse(args[5], CultureInfo.InvariantCulture);
    var count = int.Parse(args[6], CultureInfo.InvariantCulture);
    var returning = int.Parse(args[7], CultureInfo.InvariantCulture);
    string Returning(int i) => "r-" + (i % returning);

    // Returning users have signed in once before, on both apps they use here.
    await Parallel.ForEachAsync(Enumerable.Range(0, returning), async (i, _) =>
    {
        await flows.MiniProgramLoginAsync("mp", await flows.MiniProgramCodeAsync(Flows.MiniProgram, Returning(i)));
        await flows.OfficialAccountLoginAsync(await flows.OfficialAccountStartAsync(), await flows.AuthorizationCodeAsync(Returning(i)));
    });

    var returningCodes = await PrepareAsync(count, i => flows.MiniProgramCodeAsync(Flows.MiniProgram, Returning(i)));
    await MeasureAsync("miniprogram-returning", returningCodes, async (code, clock) =>
    {
        clock.Start();
        await flows.MiniProgramLoginAsync("mp", code);
        clock.Stop();
    });

    var firstCodes = await PrepareAsync(count, i => flows.MiniProgramCodeAsync(Flows.MiniProgram, "f-" + i));
    await MeasureAsync("miniprogram-first-login", firstCodes, async (code, clock) =>
    {
        clock.Start();
        await flows.MiniProgramLoginAsync("mp", code);
        clock.Stop();
    });

    var twoStepUsers = Enumerable.Range(0, count).Select(i => "t-" + i).ToArray();
    var twoStepCodes = await PrepareAsync(count, i => flows.MiniProgramCodeAsync(Flows.TwoStep, twoStepUsers[i]));
    await MeasureAsync("miniprogram-two-step-bind", twoStepCodes.Zip(twoStepUsers).ToArray(), async (login, clock) =>
    {
        clock.Start();
        var ticket = await flows.TwoStepLoginAsync(login.First);
        clock.Stop();
        var userData = await flows.UserDataAsync(login.Second);
        clock.Start();
        await flows.BindAsync(ticket, userData);
        clock.Stop();
    });

    var authorizationCodes = await PrepareAsync(count, i => flows.AuthorizationCodeAsync(Returning(i)));
    await MeasureAsync("official-account-callback", authorizationCodes, async (code, clock) =>
    {
        clock.Start();
        var started = await flows.OfficialAccountStartAsync();
        await flows.OfficialAccountLoginAsync(started, code);
        clock.Stop();
    });
    return 0;

    async Task MeasureAsync<T>(string flow, T[] inputs, Func<T, Stopwatch, Task> run)
    {
        var latencies = new double[inputs.Length];
        var cpuBefore = gatewayCpu.Read();
        var elapsed = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Length), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var clock = new Stopwatch();
            await run(inputs[i], clock);
            latencies[i] = clock.Elapsed.TotalMilliseconds;
        });
        var seconds = elapsed.Elapsed.TotalSeconds;
        var cpu = gatewayCpu.Read() - cpuBefore;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flow={flow} logins={inputs.Length} seconds={seconds:0.00} per_second={inputs.Length / seconds:0} p50_ms={Percentile(latencies, 0.50):0.00} p99_ms={Percentile(latencies, 0.99):0.00} cpu_us={cpu.TotalMicroseconds / inputs.Length:0}"));
    }
}

if (mode == "soak" && args.Length == 13)
{
    using var flows = new Flows(new Uri(args[1]), new Uri(args[2]));
    var soak = new Soak(flows, new Uri(args[1]), new Uri(args[3]), args[4], int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture), args[11], int.Parse(args[12], CultureInfo.InvariantCulture));
    return await soak.RunAsync(
        TimeSpan.FromSeconds(int.Parse(args[7], CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(int.Parse(args[8], CultureInfo.InvariantCulture)),
        double.Parse(args[9], CultureInfo.InvariantCulture), double.Parse(args[10], CultureInfo.InvariantCulture));
}

Console.Error.WriteLine("usage: LoginLoad sessions <gateway> <sandbox> <user-prefix> <users> <count> <tokens-file>");
Console.Error.WriteLine("       LoginLoad bench <gateway> <sandbox> <gateway-pid> <clock-ticks-per-second> <concurrency> <logins-per-flow> <returning-users>");
Console.Error.WriteLine("       LoginLoad soak <gateway> <sandbox> <management> <management-key> <gateway-pid> <redis-port> <seconds> <report-seconds> <proxy-per-second> <logins-per-second> <user-prefix> <users>");
return 2;

static async Task<string[]> PrepareAsync(int count, Func<int, Task<string>> issue)
{
    var codes = new string[count];
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => codes[i] = await issue(i));
    return codes;
}

static double Percentile(double[] sorted, double quantile) =>
    sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

/// <summary>A process's user + system CPU time, from /proc/PID/stat.</summary>
internal sealed class ProcessCpu(int pid, int ticksPerSecond)
{
    public TimeSpan Read()
    {
        // Fields after the parenthesised command name, which may itself contain spaces: utime and stime are 14 and 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ticksPerSecond);
    }
}

/// <summary>The login flows, as a Mini Program, a phone's WeChat and a browser would drive them.</summary>
internal sealed class Flows(Uri gateway, Uri sandbox) : IDisposable
{
    public const string MiniProgram = "wx_sandbox_mp";
    public const string TwoStep = "wx_sandbox_mp_twostep";
    private const string OfficialAccount = "wx_sandbox_oa";

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 64 })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Task<string> MiniProgramCodeAsync(string appId, string user) => SandboxCodeAsync($"sandbox/wxlogin?appid={appId}&user={user}");

    public Task<string> AuthorizationCodeAsync(string user) => SandboxCodeAsync($"sandbox/authorize-code?appid={OfficialAccount}&user={user}&scope=snsapi_userinfo");

    public async Task<JsonObject> UserDataAsync(string user)
    {
        using var response = await _http.PostAsync(Sandbox($"sandbox/user-data?appid={TwoStep}&user={user}"), null);
        return (JsonObject)JsonNode.Parse(await Expect(response, HttpStatusCode.OK))!;
    }

    public async Task<string> MiniProgramLoginAsync(string app, string code)
    {
        var body = await PostJsonAsync($"/auth/wechat/miniprogram/{app}/login", new JsonObject { ["code"] = code });
        return body["token"]?.GetValue<string>() ?? throw new InvalidOperationException($"The login answered without a token: {body}");
    }

    public async Task<string> TwoStepLoginAsync(string code)
    {
        var body = await PostJsonAsync("/auth/wechat/miniprogram/twostep/login", new JsonObject { ["code"] = code });
        return body["ticket"]?.GetValue<string>() ?? throw new InvalidOperationException($"The two-step login answered without a ticket: {body}");
    }

    public async Task BindAsync(string ticket, JsonObject userData)
    {
        var body = new JsonObject
        {
            ["ticket"] = ticket,
            ["encryptedData"] = userData["encryptedData"]!.GetValue<string>(),
            ["iv"] = userData["iv"]!.GetValue<string>(),
            ["rawData"] = userData["rawData"]!.GetValue<string>(),
            ["signature"] = userData["signature"]!.GetValue<string>(),
        };
        var answer = await PostJsonAsync("/auth/wechat/miniprogram/twostep/bind", body);
        _ = answer["token"]?.GetValue<string>() ?? throw new InvalidOperationException($"The bind answered without a token: {answer}");
    }

    /// <summary>The state WeChat will hand back, and the cookies the browser got with the redirect.</summary>
    public async Task<(string State, string Cookies)> OfficialAccountStartAsync()
    {
        using var response = await _http.GetAsync(new Uri(gateway, "/auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl=%2F"));
        await Expect(response, HttpStatusCode.Redirect);
        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        return (query["state"] ?? throw new InvalidOperationException("The start redirect carries no state."), Cookies(response));
    }

    public async Task OfficialAccountLoginAsync((string State, string Cookies) started, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, $"/auth/wechat/oa/oa/callback?code={code}&state={started.State}"));
        request.Headers.Add("Cookie", started.Cookies);
        using var response = await _http.SendAsync(request);
        await Expect(response, HttpStatusCode.Redirect);
        if (!Cookies(response).Contains("__Host-wgw-session=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The callback set no session cookie.");
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? string.Join("; ", values.Select(v => v.Split(';')[0])) : "";

    private static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == status
            ? body
            : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {body}");
    }

    private Uri Sandbox(string path) => new(sandbox, "/_sandbox/wechat/" + path);

    private async Task<string> SandboxCodeAsync(string path)
    {
        using var response = await _http.PostAsync(Sandbox(path), null);
        return JsonDocument.Parse(await Expect(response, HttpStatusCode.OK)).RootElement.GetProperty("code").GetString()!;
    }

    private async Task<JsonObject> PostJsonAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(gateway, path), content);
        return (JsonObject)JsonNode.Parse(await Expect(response, HttpStatusCode.OK))!;
    }
}
