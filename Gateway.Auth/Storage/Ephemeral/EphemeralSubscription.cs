namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>What <see cref="IEphemeralStore.SubscribeAsync"/> returns: stops delivery, then detaches from the backend.</summary>
internal sealed class EphemeralSubscription(SubscriptionDispatcher dispatcher, Func<Task> detach) : IAsyncDisposable
{
    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        dispatcher.Stop();
        await detach();
    }
}
