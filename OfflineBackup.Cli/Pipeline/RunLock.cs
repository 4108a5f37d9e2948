using System.Globalization;
using OfflineBackup.Platform;

namespace OfflineBackup.Pipeline;

/// <summary>
/// An exclusive flock(2) on lock_filename, held for the whole invocation. The kernel releases it
/// when the process dies, so a crash never leaves a stale lock behind. The holder writes its PID
/// and start time into the file so that a refused invocation can say who holds it.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    public string Path => _file.Name;

    /// <summary>Takes the lock, or returns null and the holder's description when another process has it.</summary>
    public static RunLock? TryAcquire(string path, DateTimeOffset now, out string holder)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // FileShare.ReadWrite: .NET's own advisory locking is disabled in Directory.Build.props,
        // the lock below is the only one, and a refused run can still read who holds it.
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var fd = (int)file.SafeFileHandle.DangerousGetHandle();
        if (LibC.Flock(fd, LibC.LockExclusive | LibC.LockNonBlocking) != 0)
        {
            using var reader = new StreamReader(file);
            holder = Describe(reader.ReadToEnd());
            return null;
        }

        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
        {
            writer.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"pid={Environment.ProcessId}\nstarted={now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\nhost={Environment.MachineName}\n"));
        }

        file.Flush(flushToDisk: true);
        holder = string.Empty;
        return new RunLock(file);
    }

    /// <summary>Who holds the lock right now, or null when nobody does. Takes and drops the lock to find out.</summary>
    public static string? CurrentHolder(string path, DateTimeOffset now)
    {
        using var probe = TryAcquire(path, now, out var holder);
        return probe is null ? holder : null;
    }

    // Releasing is closing: the kernel drops the flock with the last descriptor. The file stays,
    // because deleting it would race with a waiting process that already opened the old inode.
    public void Dispose() => _file.Dispose();

    private static string Describe(string content)
    {
        var fields = content.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        var pid = fields.GetValueOrDefault("pid", "?");
        var started = fields.GetValueOrDefault("started", "?");
        var host = fields.GetValueOrDefault("host", "?");
        return $"PID {pid} on {host}, started {started}";
    }
}
