using System.Globalization;
using System.Text.RegularExpressions;

namespace OfflineBackup.Bench;

/// <summary>What GNU <c>/usr/bin/time -v</c> reported about one process.</summary>
public sealed partial record TimeVerbose(long PeakRssKiB, double UserSeconds, double SystemSeconds)
{
    /// <summary>Parses the report <c>time -v -o FILE</c> wrote; throws when a field is missing (a changed format must not read as zero).</summary>
    public static TimeVerbose Parse(string report) => new(
        long.Parse(Field(report, MaxRss()), CultureInfo.InvariantCulture),
        double.Parse(Field(report, UserTime()), CultureInfo.InvariantCulture),
        double.Parse(Field(report, SystemTime()), CultureInfo.InvariantCulture));

    private static string Field(string report, Regex pattern) =>
        pattern.Match(report) is { Success: true } match
            ? match.Groups[1].Value
            : throw new FormatException($"/usr/bin/time -v report has no '{pattern}':\n{report}");

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();

    [GeneratedRegex(@"User time \(seconds\): ([\d.]+)")]
    private static partial Regex UserTime();

    [GeneratedRegex(@"System time \(seconds\): ([\d.]+)")]
    private static partial Regex SystemTime();
}
