using System.Net;
using System.Net.Http.Headers;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

/// <summary>The wrong management key throttle is counted in Redis: guessing against two instances gets no more tries than against one.</summary>
public sealed class ManagementThrottleAcrossInstancesTests
{
    [Fact]
    public async Task WrongKeysSpreadOverTwoInstancesShareOneAllowance()
    {
        await using var destination = await TestDestination.StartAsync();
        var database = await TestServers.CreateMySqlDatabaseAsync();
        try
        {
            var shared = new Dictionary<string, string?>
            {
                ["Storage:Relational:ConnectionString"] = database,
                ["Storage:Ephemeral:KeyPrefix"] = TestServers.NewKeyPrefix(),
                ["Management:FailedKeyLimit"] = "3",
            };
            var yarp = YarpJson.Build(destination.Url, new TestRoute("orders", "/orders/{**rest}", "required"));
            await using var a = await GatewayInstance.StartAsync(yarp, shared);
            await using var b = await GatewayInstance.StartAsync(yarp, shared);

            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 6; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/_gateway/routes");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"wrong-key-{i}");
                statuses.Add((await (i % 2 == 0 ? a : b).Management.SendAsync(request)).StatusCode);
            }

            Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 3).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);
        }
        finally
        {
            await TestServers.DropMySqlDatabaseAsync(database);
        }
    }
}
