using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>metrics:</c> section: where node_exporter's textfile collector reads our metrics.</summary>
internal static class MetricsSectionReader
{
    public const string Expected = "the path of a .prom file in node_exporter's textfile directory, e.g. /var/lib/prometheus/node-exporter/offline_backup.prom";

    public static MetricsSettings Read(ConfigMapping metrics)
    {
        var path = metrics.OptionalPath("textfile", Expected);

        // The collector reads only *.prom files: any other name would be written every hour and
        // never scraped, which looks like working monitoring until the day it is needed.
        if (path is not null && (!path.EndsWith(".prom", StringComparison.Ordinal) || Path.GetFileName(path) == ".prom"))
        {
            throw metrics.Fail("textfile", $"expected {Expected}; node_exporter reads only files named *.prom, got {ConfigError.Show(path)}");
        }

        return new MetricsSettings(path);
    }
}
