namespace OfflineBackup.Aws;

/// <summary>
/// The EC2 volume calls of restore and drill. The real implementation is <see cref="Ec2VolumeStore"/>.
/// Errors: a denied permission or missing credentials throw BackupException with exit 11; other
/// EC2 failures after the SDK's retries throw it with exit 16 (restore failed).
/// </summary>
public interface IVolumeStore
{
    Task<EbsVolume> CreateVolumeAsync(NewVolume request, CancellationToken cancellationToken);

    /// <summary>CreateVolume with DryRun: would EC2 allow it, with these parameters?</summary>
    Task<PermissionProbe> ProbeCreateVolumeAsync(NewVolume request, CancellationToken cancellationToken);

    Task<EbsVolume?> FindVolumeAsync(string volumeId, CancellationToken cancellationToken);

    /// <summary>Volumes carrying our run-id tag with this value: what a run killed mid-CreateVolume may have made.</summary>
    Task<IReadOnlyList<EbsVolume>> FindByRunIdAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The device names (/dev/sdf) of every volume attached to the instance.</summary>
    Task<IReadOnlyList<string>> AttachedDeviceNamesAsync(string instanceId, CancellationToken cancellationToken);

    Task AttachVolumeAsync(string volumeId, string instanceId, string device, CancellationToken cancellationToken);

    Task DetachVolumeAsync(string volumeId, bool force, CancellationToken cancellationToken);

    /// <summary>Deletes a volume of ours; one without our tag is refused (exit 16), one already gone is fine.</summary>
    Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken);

    /// <summary>Adds or overwrites tags on a snapshot (a drill's date and result).</summary>
    Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);
}
