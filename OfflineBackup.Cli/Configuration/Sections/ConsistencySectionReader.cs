using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>consistency:</c> section: stop MySQL (the default) or snapshot it online.</summary>
internal static class ConsistencySectionReader
{
    private static readonly Dictionary<string, ConsistencyMode> Modes = new(StringComparer.Ordinal)
    {
        ["stop"] = ConsistencyMode.Stop,
        ["online"] = ConsistencyMode.Online,
    };

    public static ConsistencySettings Read(ConfigMapping consistency)
    {
        var mode = consistency.Choice("mode", ConsistencyMode.Stop, Modes);
        var freeze = consistency.Bool("freeze_filesystem", false);
        var maxBlock = consistency.Int(
            "max_block_seconds", (int)ConsistencySettings.DefaultMaxBlock.TotalSeconds, 1, 600, "a whole number of seconds from 1 to 600");

        // A freeze without the online sequence around it would freeze a stopped server's files
        // for nothing: say so rather than ignore the key.
        if (freeze && mode != ConsistencyMode.Online)
        {
            throw consistency.Fail("freeze_filesystem", "applies to mode: online only; set mode: online or remove freeze_filesystem");
        }

        return new ConsistencySettings(mode, freeze, TimeSpan.FromSeconds(maxBlock));
    }
}
