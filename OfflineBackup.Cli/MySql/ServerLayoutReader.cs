using System.Globalization;

namespace OfflineBackup.MySql;

/// <summary>
/// Turns the path variables the server reports into directories, and looks in the data
/// directory itself for what would make an online copy less than whole: user tables of a
/// non-transactional engine (their data files: .MYD for MyISAM, .MAD for Aria) and, on MariaDB,
/// a mysql.gtid_slave_pos that is not InnoDB (a crash-recovered copy could resume replication
/// from a position its data does not match). The tool runs on the replica's host as root, so
/// the files are looked at directly; no table grant is needed.
/// </summary>
public static class ServerLayoutReader
{
    /// <summary>The variables whose directories the snapshot must hold, in the order they are reported.</summary>
    public static readonly IReadOnlyList<string> PathVariables =
    [
        "datadir", "innodb_data_home_dir", "innodb_log_group_home_dir", "innodb_undo_directory", "log_bin_basename", "relay_log_basename",
    ];

    private static readonly HashSet<string> SystemSchemas = new(StringComparer.Ordinal) { "mysql", "performance_schema", "sys", "lost+found", "#innodb_redo", "#innodb_temp" };

    private const int NamedAtMost = 10;

    /// <summary>
    /// The directories, from the variables' values (null when the server has no such variable or
    /// it is NULL): empty means the data directory, relative means inside it, a *_basename is a
    /// file name prefix whose directory counts; no binary log (NULL log_bin_basename) is no path.
    /// </summary>
    public static IReadOnlyList<ServerPath> Resolve(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var dataDirectory = Normalize(variables.GetValueOrDefault("datadir") ?? throw new ArgumentException("the server reported no datadir", nameof(variables)));
        var paths = new List<ServerPath> { new("datadir", dataDirectory) };
        foreach (var name in PathVariables.Skip(1))
        {
            var value = variables.GetValueOrDefault(name);
            if (name == "log_bin_basename" && string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (string.IsNullOrEmpty(value))
            {
                // No relay log name: the server's default one, in the data directory.
                paths.Add(new ServerPath(name, dataDirectory));
                continue;
            }

            var resolved = Normalize(Path.Combine(dataDirectory, value));
            paths.Add(new ServerPath(name, name.EndsWith("_basename", StringComparison.Ordinal) ? Path.GetDirectoryName(resolved)! : resolved));
        }

        return paths;
    }

    /// <summary>The preflight's warnings about the data directory's contents and the replication settings.</summary>
    public static IReadOnlyList<string> Warnings(ServerFlavor flavor, string dataDirectory, string? relayLogRecovery)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        var warnings = new List<string>();
        try
        {
            var tables = NonTransactionalTables(dataDirectory);
            if (tables.Count > 0)
            {
                var named = string.Join(", ", tables.Take(NamedAtMost)) + (tables.Count > NamedAtMost ? $" and {tables.Count - NamedAtMost} more" : string.Empty);
                warnings.Add($"non-transactional user tables (an online copy may hold them half-written; convert them to InnoDB): {named}");
            }

            if (flavor.IsMariaDb && GtidSlavePosEngine(dataDirectory) is { } engine and not "InnoDB")
            {
                warnings.Add($"mysql.gtid_slave_pos is {engine}, not transactional: a restored copy may resume replication from a position its data "
                    + "does not match (ALTER TABLE mysql.gtid_slave_pos ENGINE=InnoDB)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"cannot look into the data directory {dataDirectory} for non-transactional tables: {e.Message}");
        }

        if (!flavor.IsMariaDb && relayLogRecovery?.ToUpperInvariant() is "0" or "OFF")
        {
            warnings.Add("relay_log_recovery is OFF: a restored copy may apply its relay log twice or not at all; set relay_log_recovery=ON");
        }

        return warnings;
    }

    private static List<string> NonTransactionalTables(string dataDirectory)
    {
        var tables = new List<string>();
        foreach (var schema in Directory.EnumerateDirectories(dataDirectory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(schema);
            if (SystemSchemas.Contains(name))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(schema).Order(StringComparer.Ordinal))
            {
                var engine = Path.GetExtension(file) switch
                {
                    ".MYD" => "MyISAM",
                    ".MAD" => "Aria",
                    _ => null,
                };
                if (engine is not null)
                {
                    tables.Add(string.Create(CultureInfo.InvariantCulture, $"{Decode(name)}.{Decode(Path.GetFileNameWithoutExtension(file))} ({engine})"));
                }
            }
        }

        return tables;
    }

    private static string? GtidSlavePosEngine(string dataDirectory)
    {
        var stem = Path.Combine(dataDirectory, "mysql", "gtid_slave_pos");
        return File.Exists(stem + ".ibd") ? "InnoDB"
            : File.Exists(stem + ".MAD") ? "Aria"
            : File.Exists(stem + ".MYD") ? "MyISAM"
            : null;
    }

    // The server writes a character outside [A-Za-z0-9_] in a file name as @XXXX (hex code point).
    private static string Decode(string fileName)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < fileName.Length; i++)
        {
            if (fileName[i] == '@' && i + 4 < fileName.Length
                && int.TryParse(fileName.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 4;
            }
            else
            {
                text.Append(fileName[i]);
            }
        }

        return text.ToString();
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
