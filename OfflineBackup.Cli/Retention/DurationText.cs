using System.Globalization;

namespace OfflineBackup.Retention;

/// <summary>Durations as a DBA reads them in a log line: "2d 21h 26m", "45s", "0s".</summary>
public static class DurationText
{
    /// <summary>Whole seconds, truncated, zero units left out.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Format(duration.Negate());
        }

        var parts = new List<string>(4);
        if (duration.Days > 0)
        {
            parts.Add(Unit(duration.Days, 'd'));
        }

        if (duration.Hours > 0)
        {
            parts.Add(Unit(duration.Hours, 'h'));
        }

        if (duration.Minutes > 0)
        {
            parts.Add(Unit(duration.Minutes, 'm'));
        }

        if (duration.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(Unit(duration.Seconds, 's'));
        }

        return string.Join(' ', parts);
    }

    /// <summary>
    /// Formats two durations so that different values never read the same: when truncation to
    /// seconds would print "2d 1h old > 2d 1h", both get their fractional seconds.
    /// </summary>
    public static (string First, string Second) FormatDistinct(TimeSpan first, TimeSpan second)
    {
        var (a, b) = (Format(first), Format(second));
        return a == b && first != second ? (Precise(first), Precise(second)) : (a, b);
    }

    private static string Precise(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Precise(duration.Negate());
        }

        var wholeMinutes = new TimeSpan(duration.Days, duration.Hours, duration.Minutes, 0);
        var seconds = (double)(duration - wholeMinutes).Ticks / TimeSpan.TicksPerSecond;
        var head = wholeMinutes == TimeSpan.Zero ? string.Empty : Format(wholeMinutes) + " ";
        return head + seconds.ToString("0.#######", CultureInfo.InvariantCulture) + "s";
    }

    private static string Unit(int value, char unit) => value.ToString(CultureInfo.InvariantCulture) + unit;
}
