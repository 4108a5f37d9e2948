namespace OfflineBackup.Aws;

/// <summary>
/// The sweep retention plans on: the volume's snapshots, each with its Snapshot Lock. Failing to
/// read the locks fails the sweep like failing to list the snapshots (exit 11 when denied, 8
/// otherwise), so no plan is ever made blind to a lock.
/// </summary>
public static class ProtectedInventory
{
    public static async Task<IReadOnlyList<Snapshot>> ListWithLocksAsync(
        this ISnapshotStore store, string volumeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshots = await store.ListVolumeSnapshotsAsync(volumeId, cancellationToken).ConfigureAwait(false);
        return await store.WithLocksAsync(snapshots, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An existing sweep with each snapshot's lock filled in; no call when there is nothing to lock.</summary>
    public static async Task<IReadOnlyList<Snapshot>> WithLocksAsync(
        this ISnapshotStore store, IReadOnlyList<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count == 0)
        {
            return snapshots;
        }

        var locks = await store.ListLockedSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        return locks.Count == 0
            ? snapshots
            : snapshots.Select(s => locks.TryGetValue(s.Id, out var found) ? s with { Lock = found } : s).ToList();
    }
}
