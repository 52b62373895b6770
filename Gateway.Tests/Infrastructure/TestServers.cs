using MySqlConnector;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The real MariaDB/MySQL and Redis servers the tests run against. test.sh starts them (or takes existing ones)
/// and names them in GATEWAY_TEST_MYSQL (an ADO.NET connection string for a user that may create databases),
/// GATEWAY_TEST_REDIS (host:port), GATEWAY_TEST_REDIS_CLUSTER and GATEWAY_TEST_REDIS_SENTINEL. Each test fixture gets its own database and key prefix.
/// </summary>
public static class TestServers
{
    public static string MySqlAdminConnectionString => Require("GATEWAY_TEST_MYSQL");

    public static string RedisConfiguration => Require("GATEWAY_TEST_REDIS");

    /// <summary>The seed nodes of a 3-master Redis Cluster (GATEWAY_TEST_REDIS_CLUSTER).</summary>
    public static string RedisClusterConfiguration => Require("GATEWAY_TEST_REDIS_CLUSTER");

    /// <summary>Three sentinels and <c>serviceName=</c> of a primary with one replica (GATEWAY_TEST_REDIS_SENTINEL).</summary>
    public static string RedisSentinelConfiguration => Require("GATEWAY_TEST_REDIS_SENTINEL");

    /// <summary>Theory data: every Redis deployment the store, session, revocation and login specifications run on.</summary>
    public static TheoryData<RedisTopology> RedisTopologies => [RedisTopology.SingleNode, RedisTopology.Cluster, RedisTopology.Sentinel];

    public static string Redis(RedisTopology topology) => topology switch
    {
        RedisTopology.Cluster => RedisClusterConfiguration,
        RedisTopology.Sentinel => RedisSentinelConfiguration,
        _ => RedisConfiguration,
    };

    /// <summary>Creates an empty utf8mb4 database and returns a connection string for it.</summary>
    public static async Task<string> CreateMySqlDatabaseAsync()
    {
        var name = "gwtest_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new MySqlConnection(MySqlAdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
            await command.ExecuteNonQueryAsync();
        }

        return new MySqlConnectionStringBuilder(MySqlAdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateMySqlDatabaseAsync"/>, so a long-lived test server does not fill up.</summary>
    public static async Task DropMySqlDatabaseAsync(string connectionString)
    {
        var database = new MySqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new MySqlConnection(MySqlAdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS `{database}`";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A Redis key prefix no other test uses.</summary>
    public static string NewKeyPrefix() => "gwtest:" + Guid.NewGuid().ToString("N")[..12] + ":";

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with ./test.sh, which starts MariaDB and Redis, or set {name} to an existing server.");
}

public enum RedisTopology
{
    SingleNode,
    Cluster,
    Sentinel,
}
