using System.Net.Sockets;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Debian's nginx (/usr/sbin/nginx, installed by test.sh) as a load balancer of the test's own: a private prefix and
/// configuration in a temporary folder, <c>daemon off</c>, on a free loopback port, stopped by PID on dispose.
/// </summary>
public sealed class NginxProcess : IDisposable
{
    private const string Executable = "/usr/sbin/nginx";

    private readonly string _directory;
    private readonly ChildProcess _process;
    private readonly int _port;

    private NginxProcess(string directory, ChildProcess process, int port)
    {
        _directory = directory;
        _process = process;
        _port = port;
    }

    public Uri Url => new($"http://127.0.0.1:{_port}");

    public string Output => _process.Output + ReadErrorLog();

    /// <param name="http">
    /// The <c>http</c> block's directives (upstreams, servers); <c>{port}</c> stands for the port the server listens on.
    /// </param>
    public static async Task<NginxProcess> StartAsync(string http)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run the tests with ./test.sh, which installs nginx (apt-get install nginx-light).");
        }

        var directory = Directory.CreateTempSubdirectory("gateway-test-nginx-").FullName;
        var port = FreePort.Next();
        await WriteConfigurationAsync(directory, port, http);
        var process = ChildProcess.Start(Executable, ["-p", directory, "-c", Configuration(directory)], directory);
        var nginx = new NginxProcess(directory, process, port);
        if (!await Eventually.TrueAsync(() => Task.FromResult(!process.HasExited && Listening(port)), TimeSpan.FromSeconds(20)))
        {
            var output = nginx.Output;
            nginx.Dispose();
            throw new InvalidOperationException("nginx did not start:\n" + output);
        }

        return nginx;
    }

    /// <summary>
    /// Writes a new <c>http</c> block and applies it as an operator does, <c>nginx -s reload</c>: new workers take the
    /// new configuration, the old ones finish the requests they hold.
    /// </summary>
    public async Task ReloadAsync(string http)
    {
        await WriteConfigurationAsync(_directory, _port, http);
        var (exitCode, output) = await ChildProcess.RunAsync(Executable, ["-p", _directory, "-c", Configuration(_directory), "-s", "reload"], _directory, TimeSpan.FromSeconds(20));
        if (exitCode != 0)
        {
            throw new InvalidOperationException("nginx -s reload failed:\n" + output + ReadErrorLog());
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Configuration(string directory) => Path.Combine(directory, "nginx.conf");

    private static Task WriteConfigurationAsync(string directory, int port, string http) =>
        File.WriteAllTextAsync(Configuration(directory), $$"""
            worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              {{http.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)}}
            }
            """);

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string ReadErrorLog()
    {
        var log = Path.Combine(_directory, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }
}
