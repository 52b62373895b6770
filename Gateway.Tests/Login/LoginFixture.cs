using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Login;

/// <summary>
/// One testbed for a test class whose tests do not disturb each other (xunit runs them one at a time), on a single
/// Redis node; <see cref="OnCluster"/> and <see cref="OnSentinel"/> put its ephemeral store on the other deployments.
/// </summary>
public class LoginFixture : IAsyncLifetime
{
    public LoginTestbed Bed { get; private set; } = null!;

    /// <summary>The testbed's Redis, as <c>Storage:Ephemeral:Redis</c> settings for a testbed a test starts of its own.</summary>
    public IDictionary<string, string?> RedisSettings => new Dictionary<string, string?> { ["Storage:Ephemeral:Redis"] = TestServers.Redis(Topology) };

    protected virtual RedisTopology Topology => RedisTopology.SingleNode;

    public async Task InitializeAsync() => Bed = await LoginTestbed.StartAsync(RedisSettings);

    public async Task DisposeAsync() => await Bed.DisposeAsync();

    public sealed class OnCluster : LoginFixture
    {
        protected override RedisTopology Topology => RedisTopology.Cluster;
    }

    public sealed class OnSentinel : LoginFixture
    {
        protected override RedisTopology Topology => RedisTopology.Sentinel;
    }
}
