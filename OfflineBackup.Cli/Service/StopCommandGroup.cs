using NLog;
using OfflineBackup.Platform;

namespace OfflineBackup.Service;

/// <summary>What settling a dead run's command group did, for the recovery's summary; <see cref="NeedsPerson"/> when a DBA must look.</summary>
public sealed record GroupOutcome(string Text, bool NeedsPerson = false);

/// <summary>
/// The stop command of a run that was killed may still be running: left alone, it would take
/// MySQL down after the recovery started it. Its process group is ended (TERM, then KILL) and
/// waited for before the recovery starts MySQL, but only once it is proven to be that command's
/// group (<see cref="RecordedGroup.Check"/>): a signal to a group id that now leads someone
/// else's processes could stop the very server the recovery is about to start.
/// </summary>
public static class StopCommandGroup
{
    private static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>What was done; null when nothing of the group is left.</summary>
    public static async Task<GroupOutcome?> EndAsync(RecordedGroup group, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(clock);
        var id = group.Id;
        switch (group.Check())
        {
            case GroupState.Gone:
                return null;
            case GroupState.OtherBoot:
                Log.WithProperty("step", "recovery").Info("the dead run's stop command (process group {group}) ran before the last reboot: nothing of it runs", id);
                return null;
            case GroupState.NotOurs:
                Log.WithProperty("step", "recovery").Warn("process group {group} of the dead run's stop command now belongs to other processes: not signalled", id);
                return new GroupOutcome($"left process group {id} alone: it is no longer the dead run's stop command (its leader or its processes are not the ones recorded)");
            case GroupState.Unverified:
                // An older version recorded the id alone. Not signalling can let an orphaned stop
                // land after this recovery; signalling a reused id can stop the server itself.
                // The first is visible and recoverable by the next run, the second is not ours to risk.
                var text = $"could not verify that process group {id} is still the dead run's stop command (the journal does not say when its "
                    + $"leader started: an older version wrote it, or the command had ended before it was recorded), so it was not signalled. Check `{group.PsCommand}`: if it shows "
                    + $"the stop command, end it with `kill -TERM -- -{id}` and make sure MySQL is running";
                Log.WithProperty("step", "recovery").Warn("{warning}", text);
                return new GroupOutcome(text, NeedsPerson: true);
        }

        Log.WithProperty("step", "recovery").Warn("the dead run's stop command still runs (process group {group}): ending it", id);
        _ = LibC.Kill(-id, LibC.SigTerm);
        if (await GoneAsync(group, TermGrace, clock))
        {
            return new GroupOutcome($"ended its stop command still running (process group {id})");
        }

        _ = LibC.Kill(-id, LibC.SigKill);
        return await GoneAsync(group, KillGrace, clock)
            ? new GroupOutcome($"killed its stop command still running (process group {id})")
            : throw new Errors.BackupException(Errors.ExitCodes.StopTimedOut,
                $"the dead run's stop command (process group {id}) survives SIGKILL; MySQL was not started, so that it cannot "
                + "be stopped again behind the recovery. End that process group by hand, then run `offline-backup run`");
    }

    // Gone, or no longer ours: a group that ended may have its id reused, and that one is left alone.
    private static async Task<bool> GoneAsync(RecordedGroup group, TimeSpan within, TimeProvider clock)
    {
        var signalled = clock.GetTimestamp();
        while (group.Check() == GroupState.Ours)
        {
            if (clock.GetElapsedTime(signalled) > within)
            {
                return false;
            }

            await Task.Delay(Poll, clock, CancellationToken.None);
        }

        return true;
    }
}
