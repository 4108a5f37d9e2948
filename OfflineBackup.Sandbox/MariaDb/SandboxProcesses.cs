using System.Diagnostics;
using System.Globalization;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Finds and ends the processes that belong to one sandbox directory, and only those: a process
/// is ours when its command line names a path inside that directory (every mariadbd we start is
/// given <c>--defaults-file=&lt;dir&gt;/...</c>). Nothing is ever matched by program name alone,
/// because other test runs on the same machine have their own mariadbd.
/// </summary>
public static class SandboxProcesses
{
    /// <summary>Processes whose command line mentions <paramref name="directory"/>.</summary>
    public static IReadOnlyList<int> FindUsing(string directory)
    {
        var marker = directory.TrimEnd('/') + "/";
        var found = new List<int>();
        foreach (var procEntry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(procEntry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId)
            {
                continue;
            }

            var commandLine = ReadCommandLine(pid);
            if (commandLine is not null && commandLine.Contains(marker, StringComparison.Ordinal) && IsAlive(pid))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>
    /// SIGKILL every process of the directory, mariadbd first so that its wrapper shell reaps
    /// it, and wait until they are gone.
    /// </summary>
    public static void KillAll(string directory, TimeSpan wait)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var onlyServers in new[] { true, false })
        {
            var targets = FindUsing(directory)
                .Where(pid => !onlyServers || IsMariaDbd(pid))
                .ToList();
            foreach (var pid in targets)
            {
                Kill(pid);
            }

            while (targets.Any(IsAlive) && deadline.Elapsed < wait)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>
    /// True while the process exists and is not a zombie. On this kind of VM, init does not reap
    /// orphans, so a dead detached process can linger as a zombie that kill -0 still "finds".
    /// </summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state follows the parenthesised command name, which may itself contain ')'.
            var afterName = stat[(stat.LastIndexOf(')') + 1)..].TrimStart();
            return afterName.Length > 0 && afterName[0] != 'Z' && afterName[0] != 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Start time (clock ticks since boot) from /proc, to tell a live PID from a reused one.</summary>
    public static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Field 22 of stat is starttime; fields[0] here is field 3 (state).
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static bool IsMariaDbd(int pid)
    {
        var commandLine = ReadCommandLine(pid);
        var program = commandLine?.Split(' ', 2)[0] ?? string.Empty;
        return Path.GetFileName(program) == "mariadbd";
    }

    private static string? ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone between the scan and the kill.
        }
        catch (InvalidOperationException)
        {
            // Exited while we were getting hold of it.
        }
    }
}
