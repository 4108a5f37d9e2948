namespace OfflineBackup.Aws;

/// <summary>What CopySnapshot is asked for, in the destination region.</summary>
public sealed record SnapshotCopyRequest(
    string SourceRegion,
    string SourceSnapshotId,
    string Description,
    string? KmsKeyId,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The snapshot store of the copy region, with what copies need on top: CopySnapshot (sent to
/// this, the destination, region) and a sweep by tags, because a copy's volume id is arbitrary.
/// </summary>
public interface ISnapshotCopier : ISnapshotStore
{
    /// <summary>Starts a copy; returns the new snapshot's id (it is pending).</summary>
    Task<string> CopySnapshotAsync(SnapshotCopyRequest request, CancellationToken cancellationToken);

    Task<PermissionProbe> ProbeCopySnapshotAsync(SnapshotCopyRequest request, CancellationToken cancellationToken);

    /// <summary>Every snapshot of this account here tagged as our copy of a snapshot of <paramref name="sourceVolumeId"/>.</summary>
    Task<IReadOnlyList<Snapshot>> ListCopiesAsync(string sourceVolumeId, CancellationToken cancellationToken);
}
