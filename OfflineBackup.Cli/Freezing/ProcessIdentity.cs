using System.Globalization;

namespace OfflineBackup.Freezing;

/// <summary>
/// A process as /proc/PID/stat describes it. The start time (clock ticks since boot) is what tells
/// the process a journal recorded from a later one that was given the same PID.
/// </summary>
internal sealed record ProcessIdentity(int Pid, char State, int Session, long StartTicks)
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
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                long.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
