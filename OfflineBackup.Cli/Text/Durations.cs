using System.Globalization;

namespace OfflineBackup.Text;

/// <summary>
/// Durations and instants as a DBA reads them, the one formatter of the tool: <see cref="Human"/>
/// for messages ("2d 3h", "23h 57m", "41s"), <see cref="Exact"/> where every unit counts
/// (retention's reasons: "2d 21h 26m"), <see cref="Utc"/> for instants.
/// </summary>
public static class Durations
{
    /// <summary>The two largest units, e.g. "2d 3h"; under a second, milliseconds.</summary>
    public static string Human(TimeSpan span)
    {
        var negative = span < TimeSpan.Zero;
        span = span.Duration();
        string text;
        if (span.TotalDays >= 1)
        {
            text = span.Hours == 0 ? $"{(int)span.TotalDays}d" : $"{(int)span.TotalDays}d {span.Hours}h";
        }
        else if (span.TotalHours >= 1)
        {
            text = span.Minutes == 0 ? $"{span.Hours}h" : $"{span.Hours}h {span.Minutes}m";
        }
        else if (span.TotalMinutes >= 1)
        {
            text = span.Seconds == 0 ? $"{span.Minutes}m" : $"{span.Minutes}m {span.Seconds}s";
        }
        else
        {
            text = span.TotalSeconds >= 1
                ? ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
                : ((int)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        return negative ? "-" + text : text;
    }

    /// <summary>Whole seconds, truncated, zero units left out.</summary>
    public static string Exact(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Exact(duration.Negate());
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
    public static (string First, string Second) ExactDistinct(TimeSpan first, TimeSpan second)
    {
        var (a, b) = (Exact(first), Exact(second));
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
        var head = wholeMinutes == TimeSpan.Zero ? string.Empty : Exact(wholeMinutes) + " ";
        return head + seconds.ToString("0.#######", CultureInfo.InvariantCulture) + "s";
    }

    private static string Unit(int value, char unit) => value.ToString(CultureInfo.InvariantCulture) + unit;

    public static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
