namespace OfflineBackup.Aws;

/// <summary>
/// The EC2 side of the tool. The real implementation is <see cref="Ec2SnapshotStore"/>; the
/// pipeline is unit-tested with a hand-written fake.
/// Errors: a denied permission or missing credentials throw BackupException with exit 11;
/// other EC2 failures after the SDK's retries throw BackupException with exit 8.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Every snapshot of the volume owned by this account: one paginated sweep.</summary>
    Task<IReadOnlyList<Snapshot>> ListVolumeSnapshotsAsync(string volumeId, CancellationToken cancellationToken);

    Task<Snapshot?> FindSnapshotAsync(string snapshotId, CancellationToken cancellationToken);

    /// <summary>The snapshot of this volume carrying the given run-id tag, if one exists.</summary>
    Task<Snapshot?> FindByRunIdAsync(string volumeId, string runId, CancellationToken cancellationToken);

    Task<Snapshot> CreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken);

    Task<DeleteResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken);

    Task<PermissionProbe> ProbeCreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken);

    Task<PermissionProbe> ProbeDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken);

    /// <summary>Every Snapshot Lock of this account in the store's region, by snapshot id (DescribeLockedSnapshots, all pages).</summary>
    Task<IReadOnlyDictionary<string, SnapshotLock>> ListLockedSnapshotsAsync(CancellationToken cancellationToken);

    Task<PermissionProbe> ProbeDescribeLockedSnapshotsAsync(CancellationToken cancellationToken);

    /// <summary>Adds or overwrites tags on an existing snapshot (CreateTags).</summary>
    Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Removes tags from one of our snapshots (DeleteTags); refuses one without the ownership tag. A key it lacks is no error.</summary>
    Task UntagSnapshotAsync(Snapshot snapshot, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="TagSnapshotAsync"/> with these tags would be allowed (CreateTags with DryRun).</summary>
    Task<PermissionProbe> ProbeTagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="UntagSnapshotAsync"/> of these keys would be allowed (DeleteTags with DryRun).</summary>
    Task<PermissionProbe> ProbeUntagSnapshotAsync(string snapshotId, IReadOnlyList<string> keys, CancellationToken cancellationToken);
}
