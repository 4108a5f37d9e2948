namespace OfflineBackup.Tests.Integration.Retention;

/// <summary>
/// The real store with one addition: an action run just before the first DeleteSnapshot of a
/// given snapshot, so a test can make the EC2 double misbehave in the middle of a prune.
/// </summary>
internal sealed class HookedSnapshotStore(ISnapshotStore inner) : ISnapshotStore
{
    private readonly Dictionary<string, Action> _beforeDelete = new(StringComparer.Ordinal);

    public void BeforeFirstDeleteOf(string snapshotId, Action action) => _beforeDelete[snapshotId] = action;

    /// <summary>Runs before every DescribeSnapshots sweep.</summary>
    public Action? BeforeList { get; set; }

    public Task<DeleteResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        if (_beforeDelete.Remove(snapshotId, out var action))
        {
            action();
        }

        return inner.DeleteSnapshotAsync(snapshotId, cancellationToken);
    }

    public Task<IReadOnlyList<Snapshot>> ListVolumeSnapshotsAsync(string volumeId, CancellationToken cancellationToken)
    {
        BeforeList?.Invoke();
        return inner.ListVolumeSnapshotsAsync(volumeId, cancellationToken);
    }

    public Task<Snapshot?> FindSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        inner.FindSnapshotAsync(snapshotId, cancellationToken);

    public Task<Snapshot?> FindByRunIdAsync(string volumeId, string runId, CancellationToken cancellationToken) =>
        inner.FindByRunIdAsync(volumeId, runId, cancellationToken);

    public Task<Snapshot> CreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken) =>
        inner.CreateSnapshotAsync(request, cancellationToken);

    public Task<PermissionProbe> ProbeCreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken) =>
        inner.ProbeCreateSnapshotAsync(request, cancellationToken);

    public Task<PermissionProbe> ProbeDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        inner.ProbeDeleteSnapshotAsync(snapshotId, cancellationToken);

    public Task<IReadOnlyDictionary<string, SnapshotLock>> ListLockedSnapshotsAsync(CancellationToken cancellationToken) =>
        inner.ListLockedSnapshotsAsync(cancellationToken);

    public Task<PermissionProbe> ProbeDescribeLockedSnapshotsAsync(CancellationToken cancellationToken) =>
        inner.ProbeDescribeLockedSnapshotsAsync(cancellationToken);

    public Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        inner.TagSnapshotAsync(snapshotId, tags, cancellationToken);

    public Task UntagSnapshotAsync(Snapshot snapshot, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        inner.UntagSnapshotAsync(snapshot, keys, cancellationToken);

    public Task<PermissionProbe> ProbeTagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        inner.ProbeTagSnapshotAsync(snapshotId, tags, cancellationToken);

    public Task<PermissionProbe> ProbeUntagSnapshotAsync(string snapshotId, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        inner.ProbeUntagSnapshotAsync(snapshotId, keys, cancellationToken);
}
