using System.Globalization;

namespace OfflineBackup.Retention;

/// <summary>
/// restic's keep-daily/weekly/monthly: for the newest N days (ISO weeks, months) that hold a
/// completed snapshot of ours, the newest snapshot of each is kept. Buckets are calendar periods
/// in <see cref="TimeZone"/>, because a DBA's "end of last month" is a local one. A count of 0
/// turns a rule off; all three are off by default, so a policy without them plans as before.
/// </summary>
public sealed record CalendarRules(int KeepDaily, int KeepWeekly, int KeepMonthly, TimeZoneInfo TimeZone)
{
    public static readonly CalendarRules Off = new(0, 0, 0, TimeZoneInfo.Utc);

    public bool Any => KeepDaily > 0 || KeepWeekly > 0 || KeepMonthly > 0;

    /// <summary>The rules that are on, in the order reasons name them.</summary>
    internal IEnumerable<CalendarRule> Active()
    {
        if (KeepDaily > 0)
        {
            yield return new CalendarRule("keep_daily", "day", KeepDaily, t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (KeepWeekly > 0)
        {
            yield return new CalendarRule("keep_weekly", "ISO week", KeepWeekly, IsoWeek);
        }

        if (KeepMonthly > 0)
        {
            yield return new CalendarRule("keep_monthly", "month", KeepMonthly, t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The wall-clock time of <paramref name="time"/> in this policy's zone.</summary>
    internal DateTime Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, TimeZone).DateTime;

    /// <summary>" in Europe/Paris" when buckets are not UTC, so a reason says whose calendar it means.</summary>
    internal string ZoneSuffix => TimeZone == TimeZoneInfo.Utc || TimeZone.Id == "UTC" ? string.Empty : $" in {TimeZone.Id}";

    internal static string IsoWeek(DateTime local) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}");
}

/// <summary>One calendar rule: its config key, what its bucket is called, its count and how a time names its bucket.</summary>
internal sealed record CalendarRule(string Key, string Period, int Count, Func<DateTime, string> Bucket);
