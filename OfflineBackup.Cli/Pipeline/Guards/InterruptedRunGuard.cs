using OfflineBackup.Errors;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// A journal left by a run that died means MySQL may be down or replication stopped. Only
/// <c>run</c> repairs that (it recovers before the guards); every other command refuses.
/// </summary>
public sealed class InterruptedRunGuard : IGuard
{
    public string Name => "journal";

    public Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var entry = context.JournalEntry;
        if (entry is null)
        {
            return Task.FromResult(GuardResult.Pass(Name, "no interrupted run"));
        }

        var state = entry.LeftBehind;
        return Task.FromResult(GuardResult.Refuse(
            Name,
            ExitCodes.InterruptedRunPending,
            $"run {entry.RunId} (PID {entry.Pid}) was interrupted during {entry.Phase} at {Durations.Utc(entry.StartedAt)}: {state}. "
            + "Run `offline-backup run` to recover: it restarts MySQL and replication and adopts that run's snapshot"));
    }
}
