namespace OfflineBackup.Pipeline;

/// <summary>
/// When the next snapshot is due. Pure, so the 14-day drift simulation can drive it.
/// </summary>
/// <remarks>
/// A snapshot's start time is when CreateSnapshot ran, which is the cron time plus however long
/// MySQL took to stop. Without slack, tomorrow's run at the same hour finds it a few minutes
/// short of 24 h, skips, and the backup drifts an hour later every day. The tolerance forgives
/// that: due when age >= minimum age - tolerance. Keep it above the longest stop and below the
/// cron interval, or runs would drift earlier instead.
/// </remarks>
public static class SnapshotSchedule
{
    public static bool IsDue(DateTimeOffset newestCompletedStart, DateTimeOffset now, TimeSpan minimumAge, TimeSpan tolerance) =>
        now - newestCompletedStart >= minimumAge - tolerance;

    public static DateTimeOffset DueAt(DateTimeOffset newestCompletedStart, TimeSpan minimumAge, TimeSpan tolerance) =>
        newestCompletedStart + minimumAge - tolerance;
}
