using System.Collections;
using System.Reflection;
using MySql.Data.MySqlClient;

namespace Gateway.Auth.Storage.Relational;

/// <summary>
/// MariaDB ≥ 10.6 and MySQL ≥ 8.0.30 call their 3-byte utf8 <c>utf8mb3</c>. MySql.Data 8.0.16 does not know the
/// name: any statement raising a warning (the driver reads SHOW WARNINGS itself) throws NotSupportedException and
/// leaves the pooled connection mid-packet. Registering the alias in the driver's private map is the only fix
/// this driver version allows; it is pinned to that version so an upgrade fails loudly instead of silently.
/// </summary>
internal static class MySqlCharSetAliases
{
    internal static readonly Version SupportedDriverVersion = new(8, 0, 16, 0);

    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureRegistered() => _ = Registration.Value;

    private static bool Register()
    {
        var driver = typeof(MySqlConnection).Assembly;
        var version = driver.GetName().Version;
        if (version != SupportedDriverVersion)
        {
            throw new InvalidOperationException(
                $"MySql.Data {version} is referenced, but the utf8mb3 charset alias is verified only for {SupportedDriverVersion}. " +
                "Check whether the new driver knows utf8mb3 and update MySqlCharSetAliases.");
        }

        var mapType = driver.GetType("MySql.Data.MySqlClient.CharSetMap", throwOnError: true)!;
        // The map is filled by the type's static constructor; force it before reading the field.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(mapType.TypeHandle);
        var field = mapType.GetField("_mapping", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("MySql.Data CharSetMap._mapping was not found.");
        var mapping = field.GetValue(null) as IDictionary
            ?? throw new InvalidOperationException("MySql.Data CharSetMap._mapping is not initialised.");
        lock (mapping)
        {
            if (!mapping.Contains("utf8mb3"))
            {
                mapping["utf8mb3"] = mapping["utf8"];
            }
        }

        return true;
    }
}
