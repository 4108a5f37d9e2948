using System.Text.RegularExpressions;
using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>drill:</c> section (the throwaway server of a restore drill and what it counts) and <c>restore:</c> (its waits).</summary>
internal static partial class DrillSectionReader
{
    private const string TableForm = "a table as schema.table, e.g. shop.orders";

    public static DrillSettings Read(ConfigMapping drill)
    {
        var defaults = DrillSettings.Default;
        var onVolume = drill.OptionalText("data_directory_on_volume", "the data directory's path inside the volume, e.g. . or mysql") ?? ".";
        if (Path.IsPathRooted(onVolume) || onVolume.Split('/').Contains(".."))
        {
            throw drill.Fail("data_directory_on_volume", "expected a path relative to the volume's root, without ..");
        }

        var bufferPool = drill.OptionalMatch("buffer_pool_size", SizePattern(), "a size in bytes with an optional K, M or G suffix, e.g. 64M")
            ?? defaults.BufferPoolSize;

        var tables = new List<string>();
        foreach (var node in drill.ScalarList("count_tables"))
        {
            var table = node.Value ?? "";
            if (!TablePattern().IsMatch(table))
            {
                throw drill.Fail("count_tables", $"expected {TableForm} for every item, got {ConfigError.Show(table)}");
            }

            tables.Add(table);
        }

        var everyDays = drill.Int("every_days", 0, 0, 3650, "a whole number of days from 1 to 3650 (0 or absent: no drill in run)");
        return new DrillSettings(
            ScratchDirectory: drill.OptionalPath("scratch_directory", "a directory only the drill uses, e.g. " + DrillSettings.DefaultScratchDirectory)
                ?? defaults.ScratchDirectory,
            MysqldBinary: drill.OptionalPath("mysqld", "the server binary, e.g. /usr/sbin/mariadbd or /usr/sbin/mysqld") ?? defaults.MysqldBinary,
            DataDirectoryOnVolume: onVolume,
            BufferPoolSize: bufferPool,
            CountTables: tables,
            EveryDays: everyDays == 0 ? null : everyDays,
            VolumeTimeout: Seconds(drill, "volume_timeout_seconds", defaults.VolumeTimeout),
            DeviceTimeout: Seconds(drill, "device_timeout_seconds", defaults.DeviceTimeout),
            StartTimeout: Seconds(drill, "start_timeout_seconds", defaults.StartTimeout),
            PollInterval: defaults.PollInterval)
        {
            AttachTimeout = Seconds(drill, "attach_timeout_seconds", defaults.AttachTimeout),
        };
    }

    /// <summary>The <c>restore:</c> section: restore's own waits.</summary>
    public static RestoreSettings ReadRestore(ConfigMapping restore)
    {
        var defaults = RestoreSettings.Default;
        return new RestoreSettings(
            VolumeTimeout: Seconds(restore, "volume_timeout_seconds", defaults.VolumeTimeout),
            AttachTimeout: Seconds(restore, "attach_timeout_seconds", defaults.AttachTimeout),
            DeviceTimeout: Seconds(restore, "device_timeout_seconds", defaults.DeviceTimeout));
    }

    private static TimeSpan Seconds(ConfigMapping section, string key, TimeSpan fallback) =>
        TimeSpan.FromSeconds(section.Int(key, (int)fallback.TotalSeconds, 1, 86_400, "a whole number of seconds from 1 to 86400"));

    [GeneratedRegex("^[0-9]+[KMG]?$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    [GeneratedRegex("^[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TablePattern();
}
