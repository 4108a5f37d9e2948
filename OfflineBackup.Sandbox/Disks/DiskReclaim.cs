namespace OfflineBackup.Sandbox.Disks;

/// <summary>
/// Releases every mount and loop device that belongs to one owned directory, and only those: a
/// mount is ours when its mount point lies inside the directory, a loop device when its backing
/// file does (an image in the pool, or the pool's own image). Called when an owner cleans up
/// (dispose, exit, signal) and by the next start for owners that were killed.
/// </summary>
public static class DiskReclaim
{
    private const int MaxRounds = 5;

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
            var mounts = KernelDisks.Mounts()
                .Where(m => (m.MountPoint + "/").StartsWith(marker, StringComparison.Ordinal))
                .OrderByDescending(m => m.MountPoint.Length)
                .ToList();
            var loops = KernelDisks.LoopDevices().Where(l => l.BackingFile.StartsWith(marker, StringComparison.Ordinal)).ToList();
            if (mounts.Count == 0 && loops.Count == 0)
            {
                return true;
            }

            foreach (var mount in mounts)
            {
                if (!KernelDisks.RunNow("umount", mount.MountPoint))
                {
                    KernelDisks.RunNow("umount", "--lazy", mount.MountPoint);
                }
            }

            // A loop device still mounted elsewhere is only marked to go (autoclear); the next
            // round sees whether its mount went.
            foreach (var loop in KernelDisks.LoopDevices().Where(l => l.BackingFile.StartsWith(marker, StringComparison.Ordinal)))
            {
                KernelDisks.RunNow("losetup", "--detach", loop.Device);
            }
        }

        return !KernelDisks.Mounts().Any(m => (m.MountPoint + "/").StartsWith(marker, StringComparison.Ordinal))
            && !KernelDisks.LoopDevices().Any(l => l.BackingFile.StartsWith(marker, StringComparison.Ordinal));
    }

    /// <summary>
    /// The owned directories under <paramref name="parent"/> named <paramref name="prefix"/>* that
    /// still have a mount or loop device, including directories already deleted (a killed owner
    /// whose directory was removed by hand keeps its loop devices).
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
}
