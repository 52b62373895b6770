using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace Gateway.Tests.Relational;

/// <summary>
/// A MariaDB server of the test's own, in a temp directory on a free loopback port, so a test may stop and
/// restart it without touching the shared development server. Stopped by PID.
/// </summary>
public sealed class PrivateMariaDb : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gwtest-mariadb-" + Guid.NewGuid().ToString("N")[..12]);
    private Process? _server;

    private PrivateMariaDb(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"Server=127.0.0.1;Port={Port};Database=gateway;User ID=root;Password=;SslMode=None";

    public static async Task<PrivateMariaDb> StartAsync()
    {
        var server = new PrivateMariaDb(FreePort());
        Directory.CreateDirectory(server._directory);
        await RunAsync("mariadb-install-db", $"--no-defaults --datadir={server.DataDirectory} --user={Environment.UserName} --auth-root-authentication-method=normal --skip-test-db");
        await server.RestartAsync();
        await using var connection = new MySqlConnection($"Server=127.0.0.1;Port={server.Port};User ID=root;Password=;SslMode=None;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE DATABASE gateway CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
        await command.ExecuteNonQueryAsync();
        return server;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    public async Task StopAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill();
            await server.WaitForExitAsync();
        }

        _server = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        _server = Process.Start(new ProcessStartInfo("mariadbd",
            $"--no-defaults --datadir={DataDirectory} --user={Environment.UserName} --bind-address=127.0.0.1 --port={Port} " +
            $"--socket={Path.Combine(_directory, "mariadb.sock")} --pid-file={Path.Combine(_directory, "mariadbd.pid")} --skip-name-resolve " +
            $"--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --log-error={Path.Combine(_directory, "error.log")}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
