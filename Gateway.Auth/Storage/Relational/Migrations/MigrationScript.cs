using System.Text.RegularExpressions;

namespace Gateway.Auth.Storage.Relational.Migrations;

/// <summary>A versioned schema script embedded as <c>Migrations/{Dialect}/NNNN_name.sql</c>.</summary>
internal sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    public static IReadOnlyList<MigrationScript> Load(SqlDialect dialect)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success || !string.Equals(match.Groups["dialect"].Value, dialect.ToString(), StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            // A gap or a duplicate means a script was renamed or lost: refuse rather than guess the order.
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException($"{dialect} migration scripts must be numbered 0001, 0002, ... without gaps; found {scripts[i].Version:D4}_{scripts[i].Name} at position {i + 1}.");
            }
        }

        return scripts;
    }

    [GeneratedRegex(@"\.Migrations\.(?<dialect>MySql|Sqlite)\.(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
