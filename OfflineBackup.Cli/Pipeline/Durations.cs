using System.Globalization;

namespace OfflineBackup.Pipeline;

/// <summary>Durations as a DBA reads them: "2d 3h", "23h 57m", "41s".</summary>
public static class Durations
{
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

    public static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
