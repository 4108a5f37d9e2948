using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;

namespace OfflineBackup.Restore;

/// <summary>What <c>restore</c> was asked for, parsed.</summary>
public sealed record RestoreRequest(
    string SnapshotId,
    VolumeShape Shape,
    AttachTarget? Attach,
    bool Force,
    ReplicaLayoutOptions Layout);

/// <summary>The restore options that only shape the printed steps.</summary>
public sealed record ReplicaLayoutOptions(string? MountPoint, long? ServerId, int Port, string OsUser);

/// <summary>What <c>restore</c> did: the volume (and device), the position and the steps to follow.</summary>
public sealed record RestoreResult(Snapshot Snapshot, RestoredVolume Volume, ReplicaPosition Position, IReadOnlyList<RestoreStep> Steps);

/// <summary>What <c>restore --dry-run</c> found: EC2's DryRun verdict on CreateVolume.</summary>
public sealed record RestorePlan(Snapshot Snapshot, VolumeShape Shape, PermissionProbe Probe);

/// <summary>
/// <c>restore</c>: check the snapshot, make the volume, attach it and find its device if asked,
/// and write out the steps that make it a replica. A volume made here is the person's to keep:
/// on a later failure (attach, device) it stays, and the error names it.
/// </summary>
public sealed class RestoreService(Settings settings, SnapshotChoice choice, IVolumeStore store, VolumeRestorer restorer, string runId, string host)
{
    public async Task<RestorePlan> PlanAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        var snapshot = await choice.NamedAsync(request.SnapshotId, request.Force, cancellationToken).ConfigureAwait(false);
        var probe = await store.ProbeCreateVolumeAsync(NewVolumeOf(snapshot, request.Shape), cancellationToken).ConfigureAwait(false);
        return new RestorePlan(snapshot, request.Shape, probe);
    }

    public async Task<RestoreResult> RunAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        var snapshot = await choice.NamedAsync(request.SnapshotId, request.Force, cancellationToken).ConfigureAwait(false);
        var volume = await restorer.CreateAsync(
            snapshot, request.Shape, NewVolumeOf(snapshot, request.Shape).Tags, settings.Restore.VolumeTimeout, ExitCodes.RestoreFailed,
            created: null, cancellationToken).ConfigureAwait(false);
        if (request.Attach is { } target)
        {
            try
            {
                volume = await restorer.AttachAsync(
                    volume, target, settings.Restore.AttachTimeout, settings.Restore.DeviceTimeout, ExitCodes.RestoreFailed, cancellationToken).ConfigureAwait(false);
            }
            catch (BackupException e)
            {
                throw new BackupException(e.ExitCode, $"{e.Message}; volume {volume.VolumeId} was made from {snapshot.Id} and is kept", e);
            }
        }

        var position = ReplicaPosition.FromSnapshot(snapshot);
        var layout = LayoutOf(request.Layout, snapshot, volume);
        return new RestoreResult(snapshot, volume, position, ReplicaSteps.For(volume, layout, position));
    }

    private ReplicaLayout LayoutOf(ReplicaLayoutOptions options, Snapshot snapshot, RestoredVolume volume) => new(
        options.MountPoint ?? $"/mnt/offline-backup/{snapshot.Id}",
        settings.Drill.DataDirectoryOnVolume,
        settings.Drill.MysqldBinary,
        options.OsUser,
        options.ServerId ?? ServerIdOf(volume.VolumeId),
        options.Port);

    /// <summary>A server_id from the volume id: stable for one restore, and unlikely to meet any in the topology.</summary>
    private static long ServerIdOf(string volumeId) =>
        1_000_000 + (long)(BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(volumeId))) % 1_000_000_000);

    private NewVolume NewVolumeOf(Snapshot snapshot, VolumeShape shape) =>
        new(snapshot.Id, shape.AvailabilityZone, shape.VolumeType, shape.Iops, shape.Throughput,
            VolumeTags.For(snapshot.Id, runId, "restore", host));
}
