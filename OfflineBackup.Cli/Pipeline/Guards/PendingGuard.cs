using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// EBS allows few snapshots of a volume in flight, and a new one while the last is pending
/// would stop MySQL for nothing. Any pending snapshot of the volume refuses, whoever made it.
/// </summary>
public sealed class PendingGuard : IGuard
{
    public string Name => "pending";

    public async Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var snapshots = await context.VolumeSnapshotsAsync(cancellationToken);
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
