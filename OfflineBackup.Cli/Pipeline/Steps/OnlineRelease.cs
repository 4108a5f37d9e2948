using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// The end of every online run, in this order: thaw (a frozen filesystem blocks every write,
/// the journal's included), release the block on commits, restart replication, and then look
/// for a snapshot whose CreateSnapshot answer was lost. Runs without the invocation's token and
/// with bounds of its own: a signal must not cut it short. The journal is cleared only at the end.
/// </summary>
internal sealed class OnlineRelease(Settings settings, ReplicationStep replication, ISnapshotStore store, RunJournal journal, TimeProvider clock, string runId)
{
    private static readonly TimeSpan ReleaseLimit = TimeSpan.FromSeconds(10);
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public sealed record Result(int ExitCode, IReadOnlyList<string> Problems, Snapshot? Late);

    public async Task<Result> RunAsync(OnlineState state, RunTimings timings, bool mayExist)
    {
        var problems = new List<string>();
        var journalFailed = false;
        if (state.Frozen is { } frozen)
        {
            var (took, problem) = frozen.Thaw();
            timings.Record("frozen", took);
            Log.WithProperty("step", "thaw").Info("thawed {mount} after {ms} ms", frozen.MountPoint, (long)took.TotalMilliseconds);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        if (state.Lock is { } held)
        {
            try
            {
                using var limit = new CancellationTokenSource(ReleaseLimit);
                await held.ReleaseAsync(limit.Token);
            }
            catch (BackupException e)
            {
                problems.Add($"releasing the block: {e.Message}");
            }
            finally
            {
                if (state.Granted is { } granted)
                {
                    timings.Record("blocked", clock.GetElapsedTime(granted));
                }

                await held.DisposeAsync();
            }
        }

        if (state.Prepared is { } prepared)
        {
            // A watchdog never armed (nothing was frozen) ends quietly; once frozen it is the freeze's, below.
            await prepared.DisposeAsync();
        }

        if (state.Frozen is { } thawed)
        {
            // Only now: it waits for the watchdog process to exit, which commits need not.
            await thawed.DisposeAsync();
        }

        var entry = state.Entry with { CommitsBlocked = false, Freeze = null };
        journalFailed |= !JournalTrouble.TryWrite(problems, () => journal.Write(entry with { Phase = RunPhase.ReleasingBlock, UpdatedAt = clock.GetUtcNow() }));
        var replicationProblems = await timings.MeasureAsync(
            "replication", () => replication.RestoreAsync(entry.ChannelsToRestart, BackupRun.ReplicationRestoreTimeout, CancellationToken.None));
        problems.AddRange(replicationProblems);
        var exitCode = replicationProblems.Count == 0 ? ExitCodes.Success : ExitCodes.ReplicaUnhealthy;

        var late = mayExist ? await LateSnapshots.FindAndMarkAsync(store, settings.Instance.VolumeId, runId, clock) : null;
        if (mayExist && late is null)
        {
            problems.Add($"a snapshot of run {runId} may exist (CreateSnapshot was sent, its answer lost); the next run tags it "
                + $"{ToolTags.MethodInconsistentLate} once it shows up");
            journalFailed |= !JournalTrouble.TryWrite(problems, () => journal.Write(entry with { Phase = RunPhase.SnapshotInFlight, UpdatedAt = clock.GetUtcNow() }));
        }
        else
        {
            journalFailed |= !JournalTrouble.TryWrite(problems, journal.Clear);
        }

        return new Result(journalFailed && exitCode == ExitCodes.Success ? ExitCodes.JournalFailed : exitCode, problems, late);
    }
}
