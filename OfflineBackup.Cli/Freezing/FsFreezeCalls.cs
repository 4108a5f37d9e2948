using System.Globalization;
using System.Runtime.InteropServices;

namespace OfflineBackup.Freezing;

/// <summary>
/// The FIFREEZE and FITHAW ioctls (what fsfreeze(8) does), realpath(3) and statx(2). The ioctls
/// are called directly rather than through the fsfreeze binary: the kernel's errno says exactly
/// what happened (EBUSY: already frozen by someone; EINVAL on thaw: was not frozen), with no
/// locale-dependent message to parse, and the frozen window is not lengthened by starting a
/// process on each side of it.
/// </summary>
internal static partial class FsFreezeCalls
{
    public const int NotPermitted = 1;      // EPERM
    public const int NoSuchFile = 2;        // ENOENT
    public const int Busy = 16;             // EBUSY
    public const int Invalid = 22;          // EINVAL
    public const int NotSupported = 95;     // EOPNOTSUPP

    private const nuint FreezeRequest = 0xC0045877; // _IOWR('X', 119, int)
    private const nuint ThawRequest = 0xC0045878;   // _IOWR('X', 120, int)

    // O_RDONLY | O_CLOEXEC: the same numbers on x86-64 and arm64 (O_DIRECTORY is not). Read-only
    // on purpose: opening the mount point writes nothing, so it cannot block on a frozen filesystem.
    private const int ReadOnlyCloseOnExec = 0x80000;

    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int StatxSize = 256;

    /// <summary>FIFREEZE on the filesystem mounted at <paramref name="mountPoint"/>: 0, or the errno.</summary>
    public static int Freeze(string mountPoint) => OnMount(mountPoint, FreezeRequest);

    /// <summary>FITHAW: 0 when it was frozen and is now thawed, <see cref="Invalid"/> when it was not frozen, or another errno.</summary>
    public static int Thaw(string mountPoint) => OnMount(mountPoint, ThawRequest);

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>
    /// The path with every symlink resolved, for a path that may not exist yet (a journal not
    /// written so far): the deepest existing ancestor is resolved and the rest appended.
    /// </summary>
    public static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        var rest = new Stack<string>();
        for (var current = full; ; current = Path.GetDirectoryName(current)!)
        {
            if (RealPath(current) is { } resolved)
            {
                return rest.Aggregate(resolved, Path.Combine);
            }

            if (current == "/")
            {
                return full;
            }

            rest.Push(Path.GetFileName(current));
        }
    }

    /// <summary>The device ("major:minor", as mountinfo writes it) of the filesystem holding an existing path; null when it does not exist.</summary>
    public static string? DeviceOf(string path)
    {
        var buffer = new byte[StatxSize];
        if (Statx(CurrentDirectory, path, 0, 0, buffer) != 0)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{BitConverter.ToUInt32(buffer, 136)}:{BitConverter.ToUInt32(buffer, 140)}");
    }

    private static int OnMount(string mountPoint, nuint request)
    {
        var descriptor = Open(mountPoint, ReadOnlyCloseOnExec);
        if (descriptor < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        try
        {
            return Ioctl(descriptor, request, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static string? RealPath(string path)
    {
        var resolved = RealPath(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int descriptor, nuint request, nint argument);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    // statx(2): its struct has the same layout on every architecture, unlike stat(2)'s.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
