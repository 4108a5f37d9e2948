using System.Globalization;
using OfflineBackup.Aws;

namespace OfflineBackup.Drill;

/// <summary>
/// When the hourly run also drills: <c>drill.every_days</c> set, and that many days passed since
/// the last passed drill, as the snapshots' <see cref="VolumeTags.LastPassedDrill"/> tags say
/// (the tags live in EC2, so a replaced host keeps its history). Pure.
/// </summary>
public static class DrillSchedule
{
    public static DateTimeOffset? LastPassed(IEnumerable<Snapshot> snapshots) => snapshots
        .Select(s => s.Tag(VolumeTags.LastPassedDrill))
        .Select(t => DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)
        .Max();

    public static bool IsDue(int? everyDays, DateTimeOffset? lastPassed, DateTimeOffset now) =>
        everyDays is { } days && (lastPassed is not { } last || now - last >= TimeSpan.FromDays(days));
}

/// <summary>The drill the hourly run performed: its report, or why it could not start.</summary>
public sealed record ScheduledDrill(DrillReport? Report, IReadOnlyList<Pipeline.Notice> Notices, int ExitCode, string Summary);
