using System.Diagnostics;

namespace OfflineBackup.Sandbox.Disks;

/// <summary>Attaching, exposing, mounting and detaching a volume of the store.</summary>
public sealed partial class DiskStore
{
    private static readonly TimeSpan DetachPatience = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DetachPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Attaches volume <paramref name="volumeId"/> (a loop device in loop mode, its directory
    /// otherwise) and links it under <see cref="ByIdDirectory"/>. Returns the device.
    /// </summary>
    public async Task<string> AttachAsync(string volumeId, CancellationToken cancellationToken)
    {
        if (AttachedDevice(volumeId) is { } already)
        {
            throw new DiskException($"volume {volumeId} is already attached as {already}");
        }

        var device = Mode == DiskMode.Loop
            ? await KernelDisks.AttachAsync(PathOf(volumeId), cancellationToken)
            : PathOf(volumeId);
        var link = ByIdLink(volumeId);
        File.Delete(link);
        File.CreateSymbolicLink(link, device);
        return device;
    }

    /// <summary>The device a volume is attached as (asked of the kernel in loop mode), or null.</summary>
    public string? AttachedDevice(string volumeId)
    {
        if (Mode == DiskMode.Loop)
        {
            return KernelDisks.LoopOf(PathOf(volumeId))?.Device;
        }

        return File.Exists(ByIdLink(volumeId)) || Directory.Exists(ByIdLink(volumeId)) ? PathOf(volumeId) : null;
    }

    /// <summary>
    /// Detaches a volume and removes its by-id link. A device still mounted is busy: nothing
    /// changes and the answer is false, unless <paramref name="force"/> (the kernel then frees the
    /// device when the mount goes, as a forced EBS detach leaves the filesystem to fail). False
    /// too while the kernel has not let go yet: a device someone still holds open (udev probing
    /// it after an unmount) is only marked to go, and the caller asks again later.
    /// </summary>
    public async Task<bool> TryDetachAsync(string volumeId, bool force, CancellationToken cancellationToken)
    {
        var device = AttachedDevice(volumeId);
        if (device is not null && !force && IsMounted(device))
        {
            return false;
        }

        if (device is not null && Mode == DiskMode.Loop)
        {
            // May fail because the device went meanwhile; whether it is gone is checked below.
            await Testing.ChildProcess.RunAsync("losetup", ["--detach", device], cancellationToken);
            var clock = Stopwatch.StartNew();
            // Forced off a mounted device: it goes with the mount; EC2 is done with it now.
            while (AttachedDevice(volumeId) is not null && !(force && IsMounted(device)))
            {
                if (clock.Elapsed > DetachPatience)
                {
                    return false;
                }

                await Task.Delay(DetachPoll, cancellationToken);
            }
        }

        File.Delete(ByIdLink(volumeId));
        return true;
    }

    /// <summary>Mounts an attached device read-write on <paramref name="mountPoint"/> (a link to the directory in directory mode).</summary>
    public async Task MountAsync(string device, string mountPoint, CancellationToken cancellationToken)
    {
        var target = new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? device;
        if (Mode == DiskMode.Loop)
        {
            Directory.CreateDirectory(mountPoint);
            // noinit_itable: no background zeroing of inode tables, which would write to (and
            // un-sparse) every image the store copies.
            await KernelDisks.MountAsync(target, mountPoint, ["-o", "noinit_itable"], cancellationToken);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(mountPoint.TrimEnd('/'))!);
        Directory.CreateSymbolicLink(mountPoint, target);
        lock (_linkMounts)
        {
            _linkMounts.Add(target);
        }
    }

    public async Task UnmountAsync(string mountPoint, CancellationToken cancellationToken)
    {
        if (Mode == DiskMode.Loop)
        {
            if (KernelDisks.MountAt(mountPoint) is not null)
            {
                await KernelDisks.UnmountAsync(mountPoint, cancellationToken);
            }

            return;
        }

        var target = new DirectoryInfo(mountPoint).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        Directory.Delete(mountPoint);
        lock (_linkMounts)
        {
            _linkMounts.Remove(target ?? "");
        }
    }

    private bool IsMounted(string device)
    {
        if (Mode == DiskMode.Loop)
        {
            return KernelDisks.IsMounted(device);
        }

        lock (_linkMounts)
        {
            return _linkMounts.Contains(device);
        }
    }
}
