using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>retention:</c> section (the age limit itself is instance.retention_seconds).</summary>
internal static class RetentionSectionReader
{
    public static RetentionSettings Read(ConfigMapping retention) => new(
        MinKeep: retention.Int("min_keep", 3, 1, 1000, "a whole number of snapshots from 1 to 1000"),
        MaxDeletes: retention.Int("max_deletes", 10, 1, 1000, "a whole number of snapshots from 1 to 1000"),
        AdoptLegacy: retention.Bool("adopt_legacy", false));
}
