using System.Threading.Channels;

namespace Gateway.Tests.Ephemeral;

/// <summary>A subscriber that queues what it receives, for tests to await in order.</summary>
internal sealed class MessageInbox
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();

    public Task Handler(string message)
    {
        _messages.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    /// <summary>The next message; fails the test with a <see cref="TimeoutException"/> if none arrives in time.</summary>
    public async Task<string> NextAsync(TimeSpan? wait = null)
    {
        // Cancelling the read (rather than abandoning it) leaves a late message in the queue for the next call.
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message arrived within {wait ?? DefaultWait}.");
        }
    }

    public bool TryRead(out string? message) => _messages.Reader.TryRead(out message);
}
