using System.Globalization;
using System.Runtime.InteropServices;

namespace OfflineBackup.Platform;

/// <summary>
/// Who holds a flock(2) on a file, found without taking any lock: the kernel lists every lock in
/// /proc/locks by device and inode. Looking this way cannot race a run that is about to take the
/// lock, which a try-lock-and-release probe would (the run would find the file locked and exit 3).
/// </summary>
internal static partial class FileLocks
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint InodeMask = 0x100;      // STATX_INO
    private const int StatxSize = 256;

    /// <summary>
    /// The PID of a process holding a flock on <paramref name="path"/>, or null when none does (or
    /// the file does not exist). <paramref name="expectedPid"/>, the PID the file names, settles a
    /// match on the inode alone where the device numbers of stat and /proc/locks differ (overlayfs).
    /// </summary>
    public static int? FlockHolder(string path, int? expectedPid = null)
    {
        if (!TryIdentify(path, out var device, out var inode))
        {
            return null;
        }

        int? inodeOnly = null;
        foreach (var line in File.ReadLines("/proc/locks"))
        {
            if (Parse(line) is not { } entry || entry.Inode != inode)
            {
                continue;
            }

            if (entry.Device == device)
            {
                return entry.Pid;
            }

            if (entry.Pid == expectedPid)
            {
                inodeOnly = entry.Pid;
            }
        }

        return inodeOnly;
    }

    private sealed record LockEntry(int Pid, (uint Major, uint Minor) Device, ulong Inode);

    // "1: FLOCK  ADVISORY  WRITE 4242 fe:00:1234567 0 EOF"; a waiter's line has "->" after the
    // id and is not a holder; POSIX and OFD locks do not exclude a flock and are skipped.
    private static LockEntry? Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 6 || fields[1] != "FLOCK")
        {
            return null;
        }

        var id = fields[5].Split(':');
        if (id.Length != 3
            || !int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !uint.TryParse(id[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var major)
            || !uint.TryParse(id[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var minor)
            || !ulong.TryParse(id[2], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            return null;
        }

        return new LockEntry(pid, (major, minor), inode);
    }

    // statx(2): its struct has the same layout on every architecture, unlike stat(2)'s.
    private static bool TryIdentify(string path, out (uint Major, uint Minor) device, out ulong inode)
    {
        var buffer = new byte[StatxSize];
        if (Statx(CurrentDirectory, path, 0, InodeMask, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            const int NoSuchFile = 2;
            const int NotADirectory = 20;
            if (errno is NoSuchFile or NotADirectory)
            {
                (device, inode) = ((0, 0), 0);
                return false;
            }

            throw new IOException($"cannot stat {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        inode = BitConverter.ToUInt64(buffer, 32);
        device = (BitConverter.ToUInt32(buffer, 136), BitConverter.ToUInt32(buffer, 140));
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
