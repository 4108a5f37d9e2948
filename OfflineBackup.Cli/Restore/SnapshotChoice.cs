using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Retention;

namespace OfflineBackup.Restore;

/// <summary>
/// Which snapshot a restore or drill uses, by the same definition of "ours" as retention: a
/// snapshot not ours or not completed is refused (exit 2, nothing touched) unless forced.
/// </summary>
public sealed class SnapshotChoice(ISnapshotStore snapshots, RetentionPolicy policy)
{
    public async Task<Snapshot> NamedAsync(string snapshotId, bool force, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.FindSnapshotAsync(snapshotId, cancellationToken).ConfigureAwait(false)
            ?? throw new ConfigurationException($"snapshot {snapshotId} was not found among this account's snapshots");
        if (force)
        {
            return snapshot;
        }

        if (snapshot.State != SnapshotState.Completed)
        {
            throw new ConfigurationException(
                $"snapshot {snapshotId} is {snapshot.State.ToString().ToLowerInvariant()}, not completed; a volume made from it now may not hold what you expect (--force to use it anyway)");
        }

        var verdict = OwnershipClassifier.Classify(snapshot, policy);
        return verdict.Ownership != Ownership.Foreign
            ? snapshot
            : throw new ConfigurationException(
                $"snapshot {snapshotId} was not made by offline-backup for {policy.VolumeId} ({verdict.ForeignText}); its consistency is unknown (--force to use it anyway)");
    }

    /// <summary>The newest completed snapshot of ours for the configured volume.</summary>
    public async Task<Snapshot> NewestAsync(CancellationToken cancellationToken)
    {
        var all = await snapshots.ListVolumeSnapshotsAsync(policy.VolumeId, cancellationToken).ConfigureAwait(false);
        return all
            .Where(s => s.State == SnapshotState.Completed && OwnershipClassifier.Classify(s, policy).Ownership != Ownership.Foreign)
            .OrderByDescending(s => s.StartTime)
            .FirstOrDefault()
            ?? throw new BackupException(ExitCodes.DrillFailed, $"no completed snapshot of ours for {policy.VolumeId} to drill");
    }
}
