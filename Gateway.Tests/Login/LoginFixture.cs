using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Login;

/// <summary>
/// One testbed for a test class whose tests do not disturb each other (xunit runs them one at a time), its ephemeral
/// store on the single Redis node; <see cref="OnAsync"/> gives the class's representative theories a testbed of the
/// same kind on a Redis Cluster or Sentinel set, started on first use and shared like the first.
/// </summary>
public sealed class LoginFixture : IAsyncLifetime
{
    private readonly PerRedisTopology<LoginTestbed> _beds = new(topology => LoginTestbed.StartAsync(RedisSettings(topology)));

    public LoginTestbed Bed { get; private set; } = null!;

    /// <summary>The settings that put a testbed's ephemeral store on <paramref name="topology"/>.</summary>
    public static Dictionary<string, string?> RedisSettings(RedisTopology topology) =>
        new() { ["Storage:Ephemeral:Redis"] = TestServers.Redis(topology) };

    public Task<LoginTestbed> OnAsync(RedisTopology topology) => _beds.OnAsync(topology);

    public async Task InitializeAsync() => Bed = await _beds.OnAsync(RedisTopology.SingleNode);

    public async Task DisposeAsync() => await _beds.DisposeAsync();
}
