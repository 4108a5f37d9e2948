using NLog;
using OfflineBackup.Aws;

namespace OfflineBackup.Restore;

/// <summary>
/// Makes a volume from a snapshot and, when asked, attaches it to an instance and finds its
/// device: the part restore and drill share. Every wait is bounded; a timeout is a
/// BackupException with the caller's exit code (16 for restore, 15 for a drill).
/// </summary>
public sealed class VolumeRestorer(IVolumeStore store, VolumeWaiter waiter, DeviceLocator devices)
{
    // Names EC2 accepts for EBS on every instance type; sdf is the data volume's usual name.
    private static readonly string[] CandidateDevices = [.. "ghijklmnop".Select(c => $"/dev/sd{c}")];

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public async Task<RestoredVolume> CreateAsync(
        Snapshot snapshot, VolumeShape shape, IReadOnlyDictionary<string, string> tags, TimeSpan timeout, int exitCode,
        Action<string>? created, CancellationToken cancellationToken)
    {
        var volume = await store.CreateVolumeAsync(
            new NewVolume(snapshot.Id, shape.AvailabilityZone, shape.VolumeType, shape.Iops, shape.Throughput, tags), cancellationToken)
            .ConfigureAwait(false);
        Log.Info("created {Volume} from {Snapshot} in {Zone}", volume.Id, snapshot.Id, shape.AvailabilityZone);

        // Reported before the wait, so that a caller's journal knows the volume however the wait ends.
        created?.Invoke(volume.Id);
        await waiter.AvailableAsync(volume.Id, timeout, exitCode, cancellationToken).ConfigureAwait(false);
        return new RestoredVolume(volume.Id, snapshot.Id, shape.AvailabilityZone);
    }

    public async Task<RestoredVolume> AttachAsync(
        RestoredVolume volume, AttachTarget target, TimeSpan attachTimeout, TimeSpan deviceTimeout, int exitCode,
        CancellationToken cancellationToken)
    {
        var name = target.Device ?? await FreeDeviceNameAsync(target.InstanceId, cancellationToken).ConfigureAwait(false);
        await store.AttachVolumeAsync(volume.VolumeId, target.InstanceId, name, cancellationToken).ConfigureAwait(false);
        await waiter.AttachedAsync(volume.VolumeId, attachTimeout, exitCode, cancellationToken).ConfigureAwait(false);
        var (link, device) = await devices.WaitAsync(volume.VolumeId, deviceTimeout, exitCode, cancellationToken).ConfigureAwait(false);
        Log.Info("{Volume} attached to {Instance} as {Name}, device {Device}", volume.VolumeId, target.InstanceId, name, device);
        return volume with { InstanceId = target.InstanceId, AttachedAs = name, DeviceLink = link, Device = device };
    }

    /// <summary>Detaches (if attached), waits until it is free, deletes it: only volumes of ours (the store refuses others).</summary>
    public async Task RemoveAsync(string volumeId, TimeSpan timeout, int exitCode, CancellationToken cancellationToken)
    {
        var volume = await store.FindVolumeAsync(volumeId, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return;
        }

        if (volume.Attachment is not null)
        {
            await store.DetachVolumeAsync(volumeId, force: false, cancellationToken).ConfigureAwait(false);
        }

        await waiter.AvailableAsync(volumeId, timeout, exitCode, cancellationToken).ConfigureAwait(false);
        await store.DeleteVolumeAsync(volumeId, cancellationToken).ConfigureAwait(false);
        Log.Info("deleted {Volume}", volumeId);
    }

    private async Task<string> FreeDeviceNameAsync(string instanceId, CancellationToken cancellationToken)
    {
        var used = await store.AttachedDeviceNamesAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return CandidateDevices.FirstOrDefault(d => !used.Contains(d, StringComparer.Ordinal) && !used.Contains(d.Replace("/dev/sd", "/dev/xvd", StringComparison.Ordinal), StringComparer.Ordinal))
            ?? throw new Errors.BackupException(Errors.ExitCodes.RestoreFailed,
                $"no free device name on {instanceId} among {CandidateDevices[0]}..{CandidateDevices[^1]}; give one with --device");
    }
}
