using System.Globalization;

namespace OfflineBackup.Platform;

/// <summary>
/// A process as /proc/PID/stat describes it. The start time (clock ticks since boot) is what tells
/// the process a journal recorded from a later one that was given the same PID; with the boot id
/// (<see cref="CurrentBootId"/>) it names one process for the life of the host.
/// </summary>
internal sealed record ProcessIdentity(int Pid, char State, int Parent, int Group, int Session, long StartTicks)
{
    /// <summary>Dead, or a zombie waiting to be reaped (on hosts whose init does not reap orphans it can stay one).</summary>
    public bool Gone => State is 'Z' or 'X';

    public static ProcessIdentity? Read(int pid)
    {
        try
        {
            // "pid (comm) state ppid pgrp session ... starttime(22)": comm may hold spaces and ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcessIdentity(
                pid,
                fields[0][0],
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                long.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Every process /proc lists now (those that end while it is read are left out).</summary>
    public static IEnumerable<ProcessIdentity> All()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } process)
            {
                yield return process;
            }
        }
    }

    /// <summary>
    /// This boot's id (/proc/sys/kernel/random/boot_id): start ticks count from boot, so a start
    /// time recorded before a reboot says nothing about a process now. Null when unreadable.
    /// </summary>
    public static string? CurrentBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
