using System.Diagnostics;
using System.Net;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Xunit.Sdk;

namespace Gateway.Tests.Ephemeral;

/// <summary>Each test runs its own redis-server so it can kill, freeze and restart it.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private const string SecretKey = "session:Zq7secretkey";
    private const string SecretValue = "Hk29secretvalue";
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    // Generous on purpose: these bounds catch a hang, they do not measure speed.
    private static readonly TimeSpan FailFastBound = OperationTimeout + TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(20);

    private static readonly string[] Operations = ["Set", "SetIfAbsent", "Get", "Delete", "Take", "Publish", "Subscribe", "Ping"];

    private readonly FakeLoggerProvider _logs = new();
    private readonly List<RedisEphemeralStore> _stores = [];
    private ILoggerFactory _loggers = null!;
    private RedisServerProcess _redis = null!;

    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(builder => builder.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _redis = await RedisServerProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await _redis.DisposeAsync();
        _loggers.Dispose();
    }

    [Fact]
    public async Task EveryOperationFailsFastWithStoreUnavailableWhileRedisIsDown()
    {
        var store = CreateStore();
        await store.SetAsync(SecretKey, SecretValue, Ttl);

        await _redis.StopAsync();

        foreach (var operation in Operations)
        {
            var exception = await AssertFailsFastAsync(operation, () => InvokeAsync(store, operation));
            Assert.Contains(operation, exception.Message);
            AssertHoldsNoSecret(exception.ToString());
        }

        Assert.All(_logs.Collector.GetSnapshot(), entry => AssertHoldsNoSecret($"{entry.Level} {entry.Id} {entry.Message} {entry.Exception}"));
    }

    [Fact]
    public async Task EveryOperationFailsFastWithStoreUnavailableWhenRedisStopsAnswering()
    {
        var store = CreateStore();
        await store.SetAsync(SecretKey, SecretValue, Ttl);

        _redis.Freeze();
        try
        {
            var exceptions = await Task.WhenAll(Operations.Select(operation =>
                AssertFailsFastAsync(operation, () => InvokeAsync(store, operation))));

            Assert.All(Operations.Zip(exceptions), pair => Assert.Contains(pair.First, pair.Second.Message));
            Assert.All(exceptions, exception => AssertHoldsNoSecret(exception.ToString()));
        }
        finally
        {
            _redis.Thaw();
        }

        await EventuallyAsync(() => store.PingAsync());
    }

    [Fact]
    public async Task StoreAndEarlierSubscriptionsRecoverWhenRedisReturns()
    {
        var store = CreateStore();
        var inbox = new MessageInbox();
        var refused = new MessageInbox();
        await using var subscription = await store.SubscribeAsync("revoked", inbox.Handler);
        await _redis.StopAsync();
        await AssertFailsFastAsync("Ping", () => store.PingAsync());
        await AssertFailsFastAsync("Subscribe", () => store.SubscribeAsync("revoked", refused.Handler));

        await _redis.StartAgainAsync();

        await EventuallyAsync(() => store.PingAsync());
        await store.SetAsync(SecretKey, SecretValue, Ttl);
        Assert.Equal(SecretValue, await store.TakeAsync(SecretKey));
        await EventuallyAsync(async () =>
        {
            await store.PublishAsync("revoked", "after-restart");
            Assert.Equal("after-restart", await inbox.NextAsync(TimeSpan.FromMilliseconds(500)));
        });

        // A subscribe that was reported as failed must not come alive on reconnect.
        Assert.False(refused.TryRead(out _));
    }

    [Fact]
    public async Task StoreCreatedWhileRedisIsDownWorksOnceRedisStarts()
    {
        await _redis.StopAsync();
        var store = CreateStore();

        await AssertFailsFastAsync("Get", () => store.GetAsync(SecretKey));
        await _redis.StartAgainAsync();

        await EventuallyAsync(() => store.SetAsync(SecretKey, SecretValue, Ttl));
        Assert.Equal(SecretValue, await store.GetAsync(SecretKey));
    }

    [Fact]
    public async Task ReadinessAnswers503WhileRedisIsDownAnd200OnceItReturns()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Ephemeral:Provider"] = "Redis",
            ["Storage:Ephemeral:Redis"] = _redis.Configuration,
            ["Storage:Ephemeral:KeyPrefix"] = TestServers.NewKeyPrefix(),
            ["Storage:Ephemeral:OperationTimeout"] = OperationTimeout.ToString(),
        });
        builder.Services.AddEphemeralStore(builder.Configuration);
        builder.Services.AddHealthChecks().AddEphemeralStoreCheck(tags: "ready");
        await using var app = builder.Build();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        await app.StartAsync();
        using var client = app.GetTestClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        await _redis.StopAsync();
        var stopwatch = Stopwatch.StartNew();
        var whileDown = await client.GetAsync("/readyz");
        Assert.True(stopwatch.Elapsed < FailFastBound, $"Readiness took {stopwatch.Elapsed} to answer.");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown.StatusCode);

        await _redis.StartAgainAsync();
        await EventuallyAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode));
    }

    private static Task InvokeAsync(IEphemeralStore store, string operation) => operation switch
    {
        "Set" => store.SetAsync(SecretKey, SecretValue, Ttl),
        "SetIfAbsent" => store.SetIfAbsentAsync(SecretKey, SecretValue, Ttl),
        "Get" => store.GetAsync(SecretKey),
        "Delete" => store.DeleteAsync(SecretKey),
        "Take" => store.TakeAsync(SecretKey),
        "Publish" => store.PublishAsync("revoked", SecretValue),
        "Subscribe" => store.SubscribeAsync("revoked", _ => Task.CompletedTask),
        "Ping" => store.PingAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    private static async Task<EphemeralStoreUnavailableException> AssertFailsFastAsync(string operation, Func<Task> call)
    {
        var stopwatch = Stopwatch.StartNew();

        try
        {
            // The extra wait turns a hang into a failed assertion instead of a stuck test run.
            await call().WaitAsync(FailFastBound + TimeSpan.FromSeconds(5));
        }
        catch (EphemeralStoreUnavailableException exception)
        {
            Assert.True(stopwatch.Elapsed < FailFastBound, $"{operation} took {stopwatch.Elapsed} to fail.");
            return exception;
        }
        catch (Exception exception)
        {
            throw new XunitException($"{operation} threw {exception.GetType().Name} instead of EphemeralStoreUnavailableException: {exception}");
        }

        throw new XunitException($"{operation} succeeded although the store is unreachable.");
    }

    private static async Task EventuallyAsync(Func<Task> attempt)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await attempt();
                return;
            }
            catch (Exception exception) when (
                exception is EphemeralStoreUnavailableException or TimeoutException or XunitException
                && stopwatch.Elapsed < RecoveryBound)
            {
                await Task.Delay(100);
            }
        }
    }

    private static void AssertHoldsNoSecret(string text)
    {
        Assert.DoesNotContain("Zq7secretkey", text);
        Assert.DoesNotContain(SecretValue, text);
    }

    private RedisEphemeralStore CreateStore()
    {
        var store = new RedisEphemeralStore(
            Options.Create(new EphemeralStoreOptions
            {
                Provider = EphemeralStoreProvider.Redis,
                Redis = _redis.Configuration,
                KeyPrefix = TestServers.NewKeyPrefix(),
                OperationTimeout = OperationTimeout,
                ConnectTimeout = TimeSpan.FromSeconds(1),
            }),
            TimeProvider.System,
            _loggers.CreateLogger<RedisEphemeralStore>());
        _stores.Add(store);
        return store;
    }
}
