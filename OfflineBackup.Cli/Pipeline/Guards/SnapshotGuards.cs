using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// EBS allows few snapshots of a volume in flight, and a new one while the last is pending
/// would stop MySQL for nothing. Any pending snapshot of the volume refuses, whoever made it.
/// </summary>
public sealed class PendingGuard() : JudgingGuard<IReadOnlyList<Snapshot>>("pending", (context, token) => context.VolumeSnapshotsAsync(token))
{
    protected override GuardResult Judge(IReadOnlyList<Snapshot> snapshots, GuardContext context)
    {
        var pending = snapshots.Where(s => s.State == SnapshotState.Pending).OrderBy(s => s.StartTime).ToList();
        if (pending.Count == 0)
        {
            return GuardResult.Pass(Name, $"no pending snapshot of {context.Settings.Instance.VolumeId}");
        }

        var now = context.Clock.GetUtcNow();
        var first = pending[0];
        var more = pending.Count > 1 ? $" (and {pending.Count - 1} more)" : string.Empty;
        return GuardResult.Refuse(
            Name,
            ExitCodes.SnapshotPending,
            $"{first.Id} is still pending at {first.Progress}, started {Durations.Human(now - first.StartTime)} ago{more}");
    }
}

/// <summary>
/// One backup a day: the newest completed snapshot of the volume (whoever made it) must be at
/// least the minimum age, less the tolerance explained in <see cref="SnapshotSchedule"/>.
/// Snapshots in state error never count as a backup, nor do online ones tagged inconsistent-late;
/// they are reported so someone looks.
/// </summary>
public sealed class AgeGuard() : JudgingGuard<IReadOnlyList<Snapshot>>("age", (context, token) => context.VolumeSnapshotsAsync(token))
{
    protected override GuardResult Judge(IReadOnlyList<Snapshot> snapshots, GuardContext context)
    {
        var now = context.Clock.GetUtcNow();
        var guards = context.Settings.Guards;
        var warnings = snapshots.Where(s => s.State == SnapshotState.Error)
            .OrderByDescending(s => s.StartTime)
            .Select(s => $"{s.Id} ended in state error ({Durations.Utc(s.StartTime)}); it is not a backup")
            .ToList();

        // An online snapshot taken after its block was released is kept, but is no day's backup.
        var late = snapshots.Where(IsLate).ToList();
        warnings.AddRange(late.Where(s => s.State == SnapshotState.Completed).OrderByDescending(s => s.StartTime)
            .Select(s => $"{s.Id} is tagged {ToolTags.MethodInconsistentLate} (taken after the block was released); it does not count as a backup"));
        var newest = snapshots.Where(s => s.State == SnapshotState.Completed && !IsLate(s)).MaxBy(s => s.StartTime);
        if (newest is null)
        {
            return GuardResult.Pass(Name, "no completed snapshot of the volume yet: a first backup is due", warnings);
        }

        var age = now - newest.StartTime;
        var described = $"newest completed {newest.Id} is {Durations.Human(age)} old";
        if (SnapshotSchedule.IsDue(newest.StartTime, now, guards.MinSnapshotAge, guards.AgeTolerance))
        {
            return GuardResult.Pass(Name, $"{described}: due", warnings);
        }

        var dueAt = SnapshotSchedule.DueAt(newest.StartTime, guards.MinSnapshotAge, guards.AgeTolerance);
        return GuardResult.Refuse(
            Name,
            ExitCodes.NotDue,
            $"{described}: not due until {Durations.Utc(dueAt)} (minimum age {Durations.Human(guards.MinSnapshotAge)}, tolerance {Durations.Human(guards.AgeTolerance)})",
            warnings);
    }

    private static bool IsLate(Snapshot snapshot) => snapshot.Tag(ToolTags.Method) == ToolTags.MethodInconsistentLate;
}
