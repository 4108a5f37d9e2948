using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>The snapshot after waiting, and whether the wait ran out before it completed.</summary>
public sealed record WaitOutcome(Snapshot Snapshot, bool TimedOut, int Polls);

/// <summary>
/// Polls a new snapshot until it is completed, in state error, or the wait timeout passes.
/// One DescribeSnapshots call per poll interval (10 s by default): a completed snapshot is
/// noticed within one interval, and a long wait costs a few hundred cheap calls, not thousands.
/// </summary>
public sealed class SnapshotWaiter(ISnapshotStore store, TimeProvider clock, TimeSpan pollInterval, TimeSpan timeout)
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>What <see cref="WaitAsync"/> does, for the dry run.</summary>
    public PlannedStep Describe() => new($"wait until the snapshot is completed (at most {Durations.Human(timeout)})");

    public async Task<WaitOutcome> WaitAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + timeout;
        var polls = 0;
        var lastProgress = snapshot.Progress;
        while (true)
        {
            if (clock.GetUtcNow() >= deadline)
            {
                return new WaitOutcome(snapshot, TimedOut: true, polls);
            }

            var remaining = deadline - clock.GetUtcNow();
            await Task.Delay(pollInterval < remaining ? pollInterval : remaining, clock, cancellationToken);
            polls++;
            snapshot = await store.FindSnapshotAsync(snapshot.Id, cancellationToken)
                ?? throw new BackupException(ExitCodes.SnapshotFailed, $"{snapshot.Id} disappeared while it was pending");

            if (snapshot.Progress != lastProgress)
            {
                Log.WithProperty("step", "wait").WithProperty("snapshot", snapshot.Id)
                    .Info("{snapshot} {state} at {progress}", snapshot.Id, snapshot.State, snapshot.Progress);
                lastProgress = snapshot.Progress;
            }

            switch (snapshot.State)
            {
                case SnapshotState.Completed:
                    return new WaitOutcome(snapshot, TimedOut: false, polls);
                case SnapshotState.Error:
                    throw new BackupException(ExitCodes.SnapshotFailed, $"{snapshot.Id} ended in state error; it is not a backup");
            }
        }
    }
}
