using System.Runtime.InteropServices;

namespace OfflineBackup.Platform;

/// <summary>
/// Which disk a device is (the preflight's proof that the data directory lives on the
/// snapshotted volume; the device of a path comes from FsFreezeCalls.DeviceOf), and syncfs(2).
/// The disk behind "major:minor" is read from /sys/dev/block, a partition counting as its disk.
/// </summary>
public static partial class BlockDevices
{
    /// <summary>
    /// syncfs(2) of the filesystem holding <paramref name="path"/>: everything written to it so far
    /// (a redo log the server wrote but did not fsync, with innodb_flush_log_at_trx_commit=2) is on
    /// the device, which is all a block-device snapshot sees. Throws IOException on failure.
    /// </summary>
    public static void SyncFilesystem(string path)
    {
        if (LibC.SyncFilesystem(path) is { } failure)
        {
            throw new IOException($"syncing the filesystem holding {path} failed: {failure}");
        }
    }

    /// <summary>The kernel's name of the disk behind "major:minor" (loop3, nvme1n1): a partition's disk; null when unknown.</summary>
    public static string? DiskOf(string device)
    {
        var sys = new DirectoryInfo(Path.Combine("/sys/dev/block", device));
        if (sys.LinkTarget is null)
        {
            return null;
        }

        var resolved = sys.ResolveLinkTarget(returnFinalTarget: true) as DirectoryInfo;
        if (resolved is null)
        {
            return null;
        }

        return File.Exists(Path.Combine(resolved.FullName, "partition")) ? resolved.Parent?.Name : resolved.Name;
    }

    /// <summary>The kernel's name of the block device a by-id link (or device path) leads to; null when it leads nowhere.</summary>
    public static string? NameOf(string deviceOrLink)
    {
        var file = new FileInfo(deviceOrLink);
        var target = file.LinkTarget is null ? (file.Exists ? file.FullName : null) : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        return target is not null && target.StartsWith("/dev/", StringComparison.Ordinal) ? Path.GetFileName(target) : null;
    }
}
