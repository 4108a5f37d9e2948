using OfflineBackup.Pipeline.Steps;
using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Restore;

namespace OfflineBackup.Drill;

/// <summary>
/// What a drill asks the restored server: every table of every schema opens (CHECK TABLE ...
/// QUICK), the configured tables' rows are counted, and the recorded replication position is
/// readable: the position file in the copy's data directory first, then the snapshot's tag,
/// then the server's own tables. Each check is reported, passed or not; none stops the others.
/// </summary>
public static class DrillChecks
{
    private static readonly string[] SystemSchemas = ["information_schema", "performance_schema", "sys"];

    /// <remarks>
    /// The statements get no token: MySql.Data answers a token cancelled mid-statement with a
    /// NullReferenceException. A cancelled drill ends the running statement with KILL QUERY
    /// (<see cref="ScratchServer.InterruptOnCancel"/>) and stops here, before the next statement.
    /// </remarks>
    public static async Task<IReadOnlyList<DrillCheck>> RunAsync(
        MySqlConnection connection, IReadOnlyList<string> countTables, string dataDirectory, ReplicaPosition tagged, CancellationToken cancellationToken)
    {
        var checks = new List<DrillCheck> { await TablesOpenAsync(connection, cancellationToken).ConfigureAwait(false) };
        foreach (var table in countTables)
        {
            checks.Add(await CountAsync(connection, table, cancellationToken).ConfigureAwait(false));
        }

        checks.Add(await PositionAsync(connection, dataDirectory, tagged, cancellationToken).ConfigureAwait(false));
        return checks;
    }

    private static async Task<DrillCheck> TablesOpenAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var tables = new List<(string Schema, string Table)>();
        await using (var list = new MySqlCommand(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY 1, 2", connection))
        await using (var reader = await list.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var schema = reader.GetString(0);
                if (!SystemSchemas.Contains(schema, StringComparer.OrdinalIgnoreCase))
                {
                    tables.Add((schema, reader.GetString(1)));
                }
            }
        }

        var failures = new List<string>();
        foreach (var (schema, table) in tables)
        {
            try
            {
                var problem = await CheckTableAsync(connection, schema, table, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    failures.Add($"{schema}.{table}: {problem}");
                }
            }
            catch (MySqlException e)
            {
                failures.Add($"{schema}.{table}: {e.Message}");
            }
        }

        var schemas = tables.Select(t => t.Schema).Distinct(StringComparer.Ordinal).Count();
        return failures.Count == 0
            ? new DrillCheck("tables open", true, string.Create(CultureInfo.InvariantCulture, $"CHECK TABLE ... QUICK: all {tables.Count} tables of {schemas} schemas OK"))
            : new DrillCheck("tables open", false, string.Create(CultureInfo.InvariantCulture,
                $"CHECK TABLE ... QUICK: {failures.Count} of {tables.Count} tables failed: {string.Join("; ", failures.Take(5))}"));
    }

    /// <summary>Null when the table is OK; else what CHECK TABLE said.</summary>
    private static async Task<string?> CheckTableAsync(MySqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var check = new MySqlCommand($"CHECK TABLE {Quote(schema)}.{Quote(table)} QUICK", connection);
        await using var reader = await check.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        var messages = new List<(string Type, string Text)>();
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            messages.Add((reader.GetString(2), reader.GetString(3)));
        }

        var last = messages.LastOrDefault();
        var errors = messages.Where(m => m.Type.Equals("error", StringComparison.OrdinalIgnoreCase)).Select(m => m.Text).ToList();
        if (errors.Count == 0 && last.Type?.Equals("status", StringComparison.OrdinalIgnoreCase) == true && last.Text == "OK")
        {
            return null;
        }

        return errors.Count > 0 ? string.Join(", ", errors) : $"{last.Type}: {last.Text}";
    }

    private static async Task<DrillCheck> CountAsync(MySqlConnection connection, string table, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = $"rows of {table}";
        var parts = table.Split('.');
        try
        {
            await using var count = new MySqlCommand($"SELECT COUNT(*) FROM {Quote(parts[0])}.{Quote(parts[1])}", connection);
            var rows = Convert.ToInt64(await count.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return new DrillCheck(name, true, rows.ToString(CultureInfo.InvariantCulture));
        }
        catch (MySqlException e)
        {
            return new DrillCheck(name, false, e.Message);
        }
    }

    private static async Task<DrillCheck> PositionAsync(
        MySqlConnection connection, string dataDirectory, ReplicaPosition tagged, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        const string Name = "replication position";
        var (file, problem) = PositionFile.Read(dataDirectory);
        if (problem is not null)
        {
            return new DrillCheck(Name, false, problem);
        }

        if ((file ?? (tagged.IsRecorded ? tagged : null)) is { } recorded)
        {
            return new DrillCheck(Name, true, $"{recorded.Describe()}, from {recorded.Source}");
        }

        try
        {
            await using var version = new MySqlCommand("SELECT VERSION()", connection);
            var mariaDb = (await version.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) as string ?? "")
                .Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
            await using var position = new MySqlCommand(mariaDb ? "SELECT @@GLOBAL.gtid_slave_pos" : "SELECT @@GLOBAL.gtid_executed", connection);
            var value = await position.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) as string ?? "";
            var what = mariaDb ? "gtid_slave_pos" : "gtid_executed";
            return new DrillCheck(Name, true, value.Length == 0 ? $"{what} is empty (no GTID recorded)" : $"{what} {value}");
        }
        catch (MySqlException e)
        {
            return new DrillCheck(Name, false, e.Message);
        }
    }

    private static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
}
