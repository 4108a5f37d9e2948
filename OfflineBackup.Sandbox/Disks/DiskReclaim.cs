using OfflineBackup.Freezing;

namespace OfflineBackup.Sandbox.Disks;

/// <summary>
/// Releases every mount and loop device that belongs to one owned directory, and only those: a
/// mount is ours when its mount point lies inside the directory; a loop device when its backing
/// file does (the pool's image), or lives on the filesystem of a loop device of ours (a volume's
/// image inside the pool, recognised by device number even once the pool's path is gone).
/// Called when an owner cleans up (dispose, exit, signal) and by the next start for owners
/// that were killed.
/// </summary>
public static class DiskReclaim
{
    private const int MaxRounds = 12;

    /// <summary>
    /// A server just killed can hold its files for a moment more (its io_uring is torn down
    /// asynchronously by the kernel), so a busy mount is retried with these pauses before it
    /// is detached lazily.
    /// </summary>
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Unmounts (deepest first) and detaches until nothing of <paramref name="directory"/> is left:
    /// the volumes' mounts, then their loop devices, then the pool they lived on. Blocking on
    /// purpose: it runs on exit and signal paths where nothing can be awaited. True when all is gone.
    /// </summary>
    public static bool Release(string directory)
    {
        var marker = directory.TrimEnd('/') + "/";
        for (var round = 0; round < MaxRounds; round++)
        {
            var mounts = MountsUnder(marker);
            var loops = LoopsOf(marker);
            if (mounts.Count == 0 && loops.Count == 0)
            {
                return true;
            }

            if (round > 0)
            {
                // 20 ms doubling: about 2.5 s of patience before the lazy rounds, 40 s at most in all.
                Thread.Sleep(FirstPause * Math.Pow(2, Math.Min(round - 1, 10)));
            }

            foreach (var mount in mounts)
            {
                // Lazily only late: a pool unmounted lazily while a volume's loop device still
                // holds an image in it would still be released, but only once that device goes.
                if (!KernelDisks.RunNow("umount", mount.MountPoint) && round >= MaxRounds - 4)
                {
                    KernelDisks.RunNow("umount", "--lazy", mount.MountPoint);
                }
            }

            var mounted = KernelDisks.Mounts().Select(m => m.Source).ToHashSet(StringComparer.Ordinal);
            var devices = LoopsOf(marker);
            var numbers = devices.Select(l => l.DeviceNumber).ToHashSet(StringComparer.Ordinal);
            // Volumes before the pool they live on; a device still mounted is only marked to go.
            foreach (var loop in devices.OrderBy(l => numbers.Contains(l.BackingDeviceNumber) ? 0 : 1))
            {
                if (!mounted.Contains(loop.Device) || round >= MaxRounds - 4)
                {
                    KernelDisks.RunNow("losetup", "--detach", loop.Device);
                }
            }
        }

        return MountsUnder(marker).Count == 0 && LoopsOf(marker).Count == 0;
    }

    /// <summary>
    /// The owned directories under <paramref name="parent"/> named <paramref name="prefix"/>* that
    /// still have a mount or a loop device, including directories already deleted (a killed owner
    /// whose directory was removed by something that did not know about its disks).
    /// </summary>
    public static IReadOnlyList<string> DirectoriesHolding(string parent, string prefix)
    {
        var start = Path.Combine(parent, prefix);
        var paths = KernelDisks.Mounts().Select(m => m.MountPoint)
            .Concat(KernelDisks.LoopDevices().Select(l => l.BackingFile))
            .Where(p => p.StartsWith(start, StringComparison.Ordinal));
        return paths
            .Select(p => p[..(p.IndexOf('/', start.Length) is var end and > 0 ? end : p.Length)])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Loop devices of the directory: backed by a file in it, or by a file on one of those devices.</summary>
    public static IReadOnlyList<LoopDevice> LoopsOf(string directory)
    {
        var marker = directory.TrimEnd('/') + "/";
        var all = KernelDisks.LoopDevices();
        var ours = all.Where(l => l.BackingFile.StartsWith(marker, StringComparison.Ordinal)).ToList();
        for (var grew = true; grew;)
        {
            var numbers = ours.Select(l => l.DeviceNumber).ToHashSet(StringComparer.Ordinal);
            var more = all.Where(l => !ours.Contains(l) && numbers.Contains(l.BackingDeviceNumber)).ToList();
            ours.AddRange(more);
            grew = more.Count > 0;
        }

        return ours;
    }

    public static IReadOnlyList<MountEntry> MountsUnder(string directory)
    {
        var marker = directory.TrimEnd('/') + "/";
        return KernelDisks.Mounts()
            .Where(m => (m.MountPoint + "/").StartsWith(marker, StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPoint.Length)
            .ToList();
    }
}
