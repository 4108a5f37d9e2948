using System.Globalization;
using OfflineBackup.Platform;

namespace OfflineBackup.Pipeline;

/// <summary>
/// An exclusive flock(2) on lock_filename, held as a scope for the whole invocation of a command
/// that changes things (run, prune). The kernel releases it when the process dies, so a crash
/// never leaves a stale lock behind. The holder writes its PID, host and start time into the file
/// so that a refused invocation can say who holds it. Commands that only look (check, list,
/// the dry runs) call <see cref="CurrentHolder"/>, which takes no lock and writes nothing.
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
            holder = Describe(reader.ReadToEnd(), null);
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

    /// <summary>
    /// The lock as the scope of a command that changes things (dispose it when the command is
    /// done), or, when it cannot be had, the refusal every command gives: exit 3 naming the
    /// holder, or exit 2 for a lock file that cannot be opened.
    /// </summary>
    public static (RunLock? Scope, GuardResult? Refusal) Hold(string path, DateTimeOffset now)
    {
        try
        {
            var held = TryAcquire(path, now, out var holder);
            return held is null ? (null, Guards.LockGuard.Held(path, holder)) : (held, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, Guards.LockGuard.Unusable(path, e));
        }
    }

    /// <summary>
    /// Who holds the lock right now, or null when nobody does. Only looks: takes no lock, creates
    /// and truncates nothing, so it can never make a run that starts at this instant exit 3.
    /// </summary>
    public static string? CurrentHolder(string path)
    {
        var content = ReadContent(path);
        var named = Fields(content).GetValueOrDefault("pid");
        var expected = int.TryParse(named, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : (int?)null;
        return FileLocks.FlockHolder(path, expected) switch
        {
            null => null,
            { } holderPid when holderPid == expected => Describe(content, holderPid),

            // The file still names an earlier holder: the new one has the lock but has not
            // written its fields yet.
            { } holderPid => Describe(string.Empty, holderPid),
        };
    }

    // Unlock explicitly, then close: closing alone drops the flock only with the last descriptor,
    // and a child being forked at that moment (ours or, in the tests, another thread's) holds a
    // copy until it execs. The file stays, because deleting it would race with a waiting
    // process that already opened the old inode.
    public void Dispose()
    {
        if (!_file.SafeFileHandle.IsClosed)
        {
            _ = LibC.Flock((int)_file.SafeFileHandle.DangerousGetHandle(), LibC.Unlock);
        }

        _file.Dispose();
    }

    private static string ReadContent(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(file);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    private static Dictionary<string, string> Fields(string content) =>
        content.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0])
            .ToDictionary(group => group.Key, group => group.Last()[1]);

    // A holder that has not written its fields yet is still named by the PID the kernel reports.
    private static string Describe(string content, int? holderPid)
    {
        var fields = Fields(content);
        var pid = fields.GetValueOrDefault("pid") ?? holderPid?.ToString(CultureInfo.InvariantCulture) ?? "?";
        var started = fields.GetValueOrDefault("started", "?");
        var host = fields.GetValueOrDefault("host", "?");
        return $"PID {pid} on {host}, started {started}";
    }
}
