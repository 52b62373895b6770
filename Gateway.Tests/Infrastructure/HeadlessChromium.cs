using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven through the DevTools protocol over its WebSocket: enough to load a page,
/// click an element, read the location and the page text, like a person in a browser. test.sh installs the
/// <c>chromium</c> package. The process is stopped by PID on dispose.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly ChildProcess _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _nextId;

    private HeadlessChromium(ChildProcess process, DirectoryInfo profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: run the tests with ./test.sh, which installs Debian's chromium package.");
        }

        var profile = Directory.CreateTempSubdirectory("gateway-chromium-");
        var process = ChildProcess.Start(ExecutablePath,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-dev-shm-usage",
            $"--user-data-dir={profile.FullName}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "about:blank",
        ], profile.FullName, new Dictionary<string, string> { ["TMPDIR"] = profile.FullName });

        try
        {
            // Chromium writes the port it chose into the profile folder.
            var portFile = Path.Combine(profile.FullName, "DevToolsActivePort");
            var ready = await Eventually.TrueAsync(() => Task.FromResult(File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2), TimeSpan.FromSeconds(30));
            if (!ready)
            {
                throw new InvalidOperationException("Chromium did not start:\n" + process.Output);
            }

            var port = int.Parse(File.ReadAllLines(portFile)[0]);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            var browser = new HeadlessChromium(process, profile, socket);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            return browser;
        }
        catch
        {
            process.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>Clicks the element with this id, as a user would (a trusted mouse event at its centre).</summary>
    public async Task ClickAsync(string elementId)
    {
        var box = await EvaluateAsync<string>($$"""
            (() => { const e = document.getElementById({{JsonSerializer.Serialize(elementId)}});
                     if (!e) return '';
                     e.scrollIntoView(); const r = e.getBoundingClientRect();
                     return (r.left + r.width / 2) + ',' + (r.top + r.height / 2); })()
            """);
        if (string.IsNullOrEmpty(box))
        {
            throw new InvalidOperationException($"No element with id '{elementId}' on {await LocationAsync()}:\n{await TextAsync()}");
        }

        var xy = box.Split(',').Select(double.Parse).ToArray();
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
        {
            await SendAsync("Input.dispatchMouseEvent", new JsonObject
            {
                ["type"] = type, ["x"] = xy[0], ["y"] = xy[1], ["button"] = "left", ["clickCount"] = 1,
            });
        }
    }

    public Task<string> LocationAsync() => EvaluateAsync<string>("location.href");

    public Task<string> TextAsync() => EvaluateAsync<string>("document.body ? document.body.innerText : ''");

    /// <summary>Waits until the page's location satisfies the condition and the document has loaded.</summary>
    public async Task<string> WaitForLocationAsync(Func<string, bool> condition, TimeSpan within)
    {
        var location = "";
        var reached = await Eventually.TrueAsync(async () =>
        {
            location = await LocationAsync();
            return condition(location) && await EvaluateAsync<string>("document.readyState") == "complete";
        }, within, TimeSpan.FromMilliseconds(100));
        return reached ? location : throw new TimeoutException($"The browser stayed at {location}:\n{await TextAsync()}");
    }

    public async Task<T> EvaluateAsync<T>(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException("Script failed: " + exception.ToJsonString());
        }

        return result["result"]!["value"]!.GetValue<T>();
    }

    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }

        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return answer["error"] is { } error
            ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}")
            : answer["result"]?.AsObject() ?? new JsonObject();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        _process.Dispose();
        await _receiveLoop.ContinueWith(_ => { }, TaskScheduler.Default);
        // Chromium's helper processes may still be letting go of the profile for a moment.
        await Eventually.TrueAsync(() =>
        {
            _profile.Delete(recursive: true);
            return Task.FromResult(true);
        }, TimeSpan.FromSeconds(5));
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (node["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var reply))
                {
                    reply.TrySetResult(node);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }
}
