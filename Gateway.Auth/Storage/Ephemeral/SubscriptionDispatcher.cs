using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// Hands one subscriber its messages in order on a task of its own, so a slow handler never blocks the
/// publisher (or Redis's reader thread) and a throwing one is logged instead of taking the process down.
/// </summary>
internal sealed class SubscriptionDispatcher
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _channel;
    private readonly Func<string, Task> _handler;
    private readonly ILogger _logger;
    private volatile bool _stopped;

    public SubscriptionDispatcher(string channel, Func<string, Task> handler, ILogger logger)
    {
        _channel = channel;
        _handler = handler;
        _logger = logger;
        _ = Task.Run(PumpAsync);
    }

    public void Post(string message) => _queue.Writer.TryWrite(message);

    /// <summary>No handler call starts after this returns; one already running is left to finish.</summary>
    public void Stop()
    {
        _stopped = true;
        _queue.Writer.TryComplete();
    }

    private async Task PumpAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync())
        {
            if (_stopped)
            {
                return;
            }

            try
            {
                await _handler(message);
            }
            catch (Exception exception)
            {
                EphemeralStoreLog.SubscriberFailed(_logger, _channel, exception);
            }
        }
    }
}
