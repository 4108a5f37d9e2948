using NLog;
using OfflineBackup.Platform;

namespace OfflineBackup.Service;

/// <summary>
/// The stop command of a run that was killed may still be running: left alone, it would take
/// MySQL down after the recovery started it. Its process group is ended (TERM, then KILL) and
/// waited for before the recovery starts MySQL.
/// </summary>
public static class StopCommandGroup
{
    private static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>What was done, for the recovery's summary; null when the group was already gone.</summary>
    public static async Task<string?> EndAsync(int group)
    {
        if (!LibC.GroupExists(group))
        {
            return null;
        }

        Log.WithProperty("step", "recovery").Warn("the dead run's stop command still runs (process group {group}): ending it", group);
        _ = LibC.Kill(-group, LibC.SigTerm);
        if (await GoneAsync(group, TermGrace))
        {
            return $"ended its stop command still running (process group {group})";
        }

        _ = LibC.Kill(-group, LibC.SigKill);
        return await GoneAsync(group, KillGrace)
            ? $"killed its stop command still running (process group {group})"
            : throw new Errors.BackupException(Errors.ExitCodes.StopTimedOut,
                $"the dead run's stop command (process group {group}) survives SIGKILL; MySQL was not started, so that it cannot "
                + "be stopped again behind the recovery. End that process group by hand, then run `offline-backup run`");
    }

    private static async Task<bool> GoneAsync(int group, TimeSpan within)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (LibC.GroupExists(group))
        {
            if (waited.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(Poll, CancellationToken.None);
        }

        return true;
    }
}
