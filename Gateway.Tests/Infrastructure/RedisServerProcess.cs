using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A private redis-server (from PATH) on a free loopback port in a temp directory, for tests that must stop,
/// freeze or restart Redis without touching the shared server. Controlled only through its own PID.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly IReadOnlyList<string> _arguments;
    private Process? _process;

    private RedisServerProcess(int port, string directory, IReadOnlyList<string> arguments)
    {
        Port = port;
        _directory = directory;
        _arguments = arguments;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <param name="arguments">Added to the command line, e.g. <c>--replicaof 127.0.0.1 6379</c>.</param>
    public static async Task<RedisServerProcess> StartAsync(params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("gw-redis-").FullName;
        var server = new RedisServerProcess(FreeLoopbackPort(), directory, arguments);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A Sentinel watching the primary on <paramref name="primaryPort"/> as <paramref name="serviceName"/> (quorum 2, down after 1 s).</summary>
    public static async Task<RedisServerProcess> StartSentinelAsync(string serviceName, int primaryPort)
    {
        var directory = Directory.CreateTempSubdirectory("gw-sentinel-").FullName;
        var port = FreeLoopbackPort();

        // A Sentinel rewrites its configuration file as it learns the topology, so it needs one of its own.
        var configuration = Path.Combine(directory, "sentinel.conf");
        File.WriteAllText(configuration, string.Join('\n',
            $"sentinel monitor {serviceName} 127.0.0.1 {primaryPort} 2",
            $"sentinel down-after-milliseconds {serviceName} 1000",
            $"sentinel failover-timeout {serviceName} 5000",
            ""));
        var server = new RedisServerProcess(port, directory, [configuration, "--sentinel"]);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port (data is not kept: persistence is off).</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The Redis server is already running.");
        }

        var startInfo = new ProcessStartInfo("redis-server") { UseShellExecute = false };

        // A configuration file, when given, must come first on redis-server's command line.
        var configurationFile = _arguments.Take(_arguments.Count > 0 && File.Exists(_arguments[0]) ? 1 : 0).ToArray();
        foreach (var argument in configurationFile.Concat(
                 [
                     "--bind", "127.0.0.1", "--port", Port.ToString(), "--dir", _directory, "--save", "",
                     "--appendonly", "no", "--daemonize", "no", "--logfile", Path.Combine(_directory, "redis.log"),
                 ]).Concat(_arguments.Skip(configurationFile.Length)))
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server did not start.");
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Kills the server, as a crash would, and waits for it to be gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Suspends the server: connections stay open but nothing is answered, as with a hung host.</summary>
    public void Freeze() => Signal(SigStop);

    public void Thaw() => Signal(SigCont);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // DllImport rather than LibraryImport: the generated form needs AllowUnsafeBlocks in the test project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Signal(int signal)
    {
        var process = _process ?? throw new InvalidOperationException("The Redis server is not running.");
        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process is not { HasExited: false })
            {
                throw new InvalidOperationException($"redis-server exited: {ReadLog()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"redis-server did not answer on port {Port} within {StartTimeout}: {ReadLog()}");
            }

            await Task.Delay(50);
        }
    }

    private string ReadLog()
    {
        var log = Path.Combine(_directory, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }
}
