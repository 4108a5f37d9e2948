using System.Text.RegularExpressions;
using OfflineBackup.Configuration.Yaml;
using OfflineBackup.Retention;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>retention:</c> section (the age limit itself is instance.retention_seconds).</summary>
internal static partial class RetentionSectionReader
{
    private const string CountForm = "a whole number of periods from 0 (off) to 10000";
    private const string ZoneForm = "an IANA time zone name such as Europe/Paris or UTC";

    public static RetentionSettings Read(ConfigMapping retention) => new(
        MinKeep: retention.Int("min_keep", 3, 1, 1000, "a whole number of snapshots from 1 to 1000"),
        MaxDeletes: retention.Int("max_deletes", 10, 1, 1000, "a whole number of snapshots from 1 to 1000"),
        AdoptLegacy: retention.Bool("adopt_legacy", false))
    {
        Calendar = ReadCalendar(retention),
    };

    /// <summary>keep_daily/keep_weekly/keep_monthly and timezone of a section (retention: or copy:).</summary>
    public static CalendarRules ReadCalendar(ConfigMapping map) => new(
        KeepDaily: map.Int("keep_daily", 0, 0, 10_000, CountForm),
        KeepWeekly: map.Int("keep_weekly", 0, 0, 10_000, CountForm),
        KeepMonthly: map.Int("keep_monthly", 0, 0, 10_000, CountForm),
        TimeZone: ReadZone(map));

    private static TimeZoneInfo ReadZone(ConfigMapping map)
    {
        var name = map.OptionalText("timezone", ZoneForm);
        if (name is null)
        {
            return TimeZoneInfo.Utc;
        }

        // The name becomes a path under /usr/share/zoneinfo: only zone-name characters get there.
        if (!ZonePattern().IsMatch(name))
        {
            throw map.Fail("timezone", $"expected {ZoneForm}, got {ConfigError.Show(name)}");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw map.Fail("timezone", $"expected {ZoneForm}, got {ConfigError.Show(name)}, which this host's time zone database does not know (is tzdata installed?)");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ZonePattern();
}
