using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A TCP relay on a loopback address in front of a real server: it passes bytes both ways until told to die, then
/// drops every connection and stops listening (connections are refused), as a server host that crashes. It can die
/// when the server answers a client's chunk that a test picks (say, a COMMIT): the server has acted on it, and the
/// client never hears the answer.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _dead = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private Func<ReadOnlyMemory<byte>, bool> _dieAfter = _ => false;
    private volatile bool _armed;

    public TcpRelay(IPEndPoint listen, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(listen);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public bool IsDead => _dead.IsCancellationRequested;

    /// <summary>Dies, instead of passing the answer on, when the server answers the first client chunk <paramref name="chunk"/> picks.</summary>
    public void DieAfterClientSends(Func<ReadOnlyMemory<byte>, bool> chunk) => _dieAfter = chunk;

    public async ValueTask DisposeAsync()
    {
        await _dead.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _dead.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_dead.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_dead.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target, _dead.Token);
                var fromClient = PumpAsync(client.GetStream(), server.GetStream(), watch: true);
                var fromServer = PumpAsync(server.GetStream(), client.GetStream(), watch: false);
                await Task.WhenAny(fromClient, fromServer);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
            }

            // A crash: the peers see the connection reset, not a polite close.
            client.Client.LingerState = new LingerOption(true, 0);
            server.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool watch)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _dead.Token);
                if (read == 0)
                {
                    return;
                }

                if (!watch && _armed)
                {
                    Die();
                    return;
                }

                // Armed before the chunk is passed on, so the server cannot answer before the relay knows to die.
                if (watch && _dieAfter(buffer.AsMemory(0, read)))
                {
                    _armed = true;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _dead.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private void Die()
    {
        _listener.Stop();
        _dead.Cancel();
    }
}
