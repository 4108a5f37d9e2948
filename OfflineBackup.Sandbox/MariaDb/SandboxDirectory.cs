using System.Globalization;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// A temporary directory of the sandbox (a primary+replica pair, scratch disks, the tests' one
/// publish of the binary), marked with the PID and start time of
/// the process that owns it so that a later run can tell an abandoned sandbox (its test process
/// was killed before it could clean up) from one that another live test run is using.
/// </summary>
public static class SandboxDirectory
{
    public const string Prefix = "offline-backup-mariadb-";
    private const string OwnerFile = "owner";

    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(path);
        var me = Environment.ProcessId;
        File.WriteAllText(Path.Combine(path, OwnerFile),
            string.Create(CultureInfo.InvariantCulture, $"{me} {SandboxProcesses.StartTime(me)}"));
        return path;
    }

    /// <summary>Kills what still runs in <paramref name="path"/> and deletes it.</summary>
    public static void Destroy(string path)
    {
        SandboxProcesses.KillAll(path, TimeSpan.FromSeconds(10));
        // Servers first (they hold the mounts busy), then mounts and loop devices; a directory
        // whose disks will not go is left for the next reap rather than deleted through a mount.
        if (!Disks.DiskReclaim.Release(path))
        {
            return;
        }

        // A server just killed may still be closing files, so a delete can find the directory
        // not empty: a few tries. The owner file goes last, so a directory left half-deleted
        // still names its dead owner and the next reap finishes it (without it, a directory is
        // left alone for ten minutes as one whose creator may be about to write it).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                DeleteOwnerLast(path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                // Already gone, or being deleted right now by the exit guard on a signal (an
                // exception on that signal thread would abort the process, leaving the rest behind).
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }

    private static void DeleteOwnerLast(string path)
    {
        var owner = Path.Combine(path, OwnerFile);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory && directory.LinkTarget is null)
            {
                directory.Delete(recursive: true);
            }
            else if (entry.FullName != owner)
            {
                entry.Delete();
            }
        }

        File.Delete(owner);
        System.IO.Directory.Delete(path);
    }

    /// <summary>
    /// Destroys the sandboxes whose owning process is gone. A directory without a readable owner
    /// is left alone while young: its creator may be about to write the owner file.
    /// </summary>
    public static void ReapAbandoned()
    {
        // Loop devices and mounts of an owner whose directory is already gone hold nothing alive.
        foreach (var gone in Disks.DiskReclaim.DirectoriesHolding(Path.GetTempPath(), Prefix).Where(d => !System.IO.Directory.Exists(d)))
        {
            Disks.DiskReclaim.Release(gone);
        }

        foreach (var path in System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (IsAbandoned(path))
            {
                try
                {
                    Destroy(path);
                }
                catch (IOException)
                {
                    // Another run reaping the same directory at the same moment; it will finish.
                }
            }
        }
    }

    private static bool IsAbandoned(string path)
    {
        string owner;
        try
        {
            owner = File.ReadAllText(Path.Combine(path, OwnerFile));
        }
        catch (IOException)
        {
            return TimeProvider.System.GetUtcNow().UtcDateTime - System.IO.Directory.GetLastWriteTimeUtc(path) > TimeSpan.FromMinutes(10);
        }

        var parts = owner.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime))
        {
            return TimeProvider.System.GetUtcNow().UtcDateTime - System.IO.Directory.GetLastWriteTimeUtc(path) > TimeSpan.FromMinutes(10);
        }

        return !SandboxProcesses.IsAlive(pid) || SandboxProcesses.StartTime(pid) != startTime;
    }
}
