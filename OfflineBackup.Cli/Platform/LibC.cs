using System.Runtime.InteropServices;

namespace OfflineBackup.Platform;

/// <summary>The few libc calls .NET does not expose: flock(2), kill(2), fsync(2) and syncfs(2) of a directory.</summary>
internal static partial class LibC
{
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int Unlock = 8;
    public const int WouldBlock = 11;
    public const int NoSuchProcess = 3;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fileDescriptor, int operation);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fileDescriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fileDescriptor);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fileDescriptor);

    // O_RDONLY | O_CLOEXEC, the same numbers on every Linux architecture; O_DIRECTORY is not
    // (0x10000 on x86-64, 0x4000 on arm64), and open(2) of a directory read-only needs no flag.
    // Close-on-exec because a syncfs can block for long while another thread starts a child (the
    // start command, the freeze watchdog), which must not inherit a descriptor into the datadir.
    private const int ReadOnlyCloseOnExec = 0x80000;

    /// <summary>open(2) of a file or directory for reading, close-on-exec; a descriptor, or -1 and errno.</summary>
    internal static int OpenReadOnly(string path) => Open(path, ReadOnlyCloseOnExec);

    /// <summary>
    /// syncfs(2) of the filesystem holding <paramref name="directory"/>: everything written to
    /// it, by any process, reaches the device before this returns. Blocks as long as the device
    /// takes. Null on success, else the error.
    /// </summary>
    public static string? SyncFilesystem(string directory)
    {
        var fd = OpenReadOnly(directory);
        if (fd < 0)
        {
            return $"open: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        }

        try
        {
            return SyncFs(fd) == 0 ? null : $"syncfs: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// fsync(2) of a directory, so a rename inside it survives a power cut. .NET refuses to open
    /// directories as files, hence libc. Best effort: a failure here loses durability, not data.
    /// </summary>
    public static void SyncDirectory(string path)
    {
        var fd = OpenReadOnly(path);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    /// <summary>
    /// True when process group <paramref name="group"/> still has a live member (a zombie
    /// counts as gone, as in <see cref="ProcessExists"/>).
    /// </summary>
    public static bool GroupExists(int group) =>
        group > 1 && !(Kill(-group, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess) && GroupMembers(group).Count > 0;

    /// <summary>The live (not zombie) processes of process group <paramref name="group"/>, read from /proc.</summary>
    public static IReadOnlyList<int> GroupMembers(int group) =>
        group <= 1 ? [] : [.. ProcessIdentity.All().Where(p => p.Group == group && !p.Gone).Select(p => p.Pid)];

    /// <summary>
    /// True when a live process has this PID (signal 0 checks without sending). A zombie, dead
    /// but not yet reaped by its parent, counts as gone: it holds no files and serves nothing.
    /// </summary>
    public static bool ProcessExists(int pid)
    {
        if (pid <= 0 || (Kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess))
        {
            return false;
        }

        try
        {
            return !File.ReadLines($"/proc/{pid}/status").Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
