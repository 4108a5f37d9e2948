using System.Globalization;
using System.Runtime.InteropServices;

namespace OfflineBackup.Platform;

/// <summary>
/// Which block device holds a path, and which disk that is: the preflight's proof that the data
/// directory and every log lives on the snapshotted volume. The device of a path is stat(2)'s
/// st_dev (the first field of struct stat on Linux x86_64 and aarch64 alike), split by glibc's
/// own gnu_dev_major/minor; the disk behind "major:minor" is read from /sys/dev/block, a
/// partition counting as its disk.
/// </summary>
public static partial class BlockDevices
{
    private const int StatBufferSize = 256;

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fileDescriptor);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fileDescriptor);

    [LibraryImport("libc", EntryPoint = "gnu_dev_major")]
    private static partial uint Major(ulong device);

    [LibraryImport("libc", EntryPoint = "gnu_dev_minor")]
    private static partial uint Minor(ulong device);

    /// <summary>"major:minor" of the filesystem holding <paramref name="path"/>; null when the path does not exist.</summary>
    public static string? DeviceOf(string path)
    {
        var buffer = new byte[StatBufferSize];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }

        var device = BitConverter.ToUInt64(buffer, 0);
        return string.Create(CultureInfo.InvariantCulture, $"{Major(device)}:{Minor(device)}");
    }

    /// <summary>
    /// syncfs(2) of the filesystem holding <paramref name="path"/>: everything written to it so far
    /// (a redo log the server wrote but did not fsync, with innodb_flush_log_at_trx_commit=2) is on
    /// the device, which is all a block-device snapshot sees. Throws IOException on failure.
    /// </summary>
    public static void SyncFilesystem(string path)
    {
        const int readOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
        var descriptor = Open(path, readOnlyDirectory);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {path} to sync its filesystem: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (SyncFs(descriptor) != 0)
            {
                throw new IOException($"syncfs of the filesystem holding {path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(descriptor);
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
