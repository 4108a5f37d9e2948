using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.MySql;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// consistency.mode: online. MySQL keeps serving reads: replication stops at a transaction
/// boundary, commits are blocked (not reads), the position is recorded in the data directory and
/// the snapshot's tags, the filesystem is frozen when configured, CreateSnapshot, and at once
/// everything is undone in reverse (<see cref="OnlineRelease"/>). Whatever happens after
/// replication was stopped (an error, a timeout, a signal, a bug) the thaw, the release and the
/// restart of replication run before this returns; a killed process is covered by the freeze
/// watchdog process, by the server (the lock dies with the session) and by the journal.
/// </summary>
public sealed class OnlineBackupRun(
    Settings settings,
    ReplicationStep replication,
    IOnlineReplica online,
    IFilesystemFreezer? freezer,
    SnapshotCreator creator,
    RunJournal journal,
    TimeProvider clock,
    string runId,
    string host,
    Action<string> syncFilesystem) : IBackupRun
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private ConsistencySettings Consistency => settings.Consistency;

    public IReadOnlyList<PlannedStep> Describe(DateTimeOffset now)
    {
        var maxBlock = Durations.Human(Consistency.MaxBlock);
        var steps = new List<PlannedStep>
        {
            ReplicationStep.DescribeStop(),
            new($"block commits, not reads (MariaDB 10.4+: BACKUP STAGE START, BACKUP STAGE BLOCK_COMMIT; MySQL 8: LOCK INSTANCE FOR BACKUP; "
                + $"older: FLUSH TABLES WITH READ LOCK), giving up after {maxBlock} and naming the query in the way (exit 7)"),
            new($"record the replica's position in {PositionFile.Name} in the data directory (and in the tag {ToolTags.ReplicaPosition})"),
        };
        if (Consistency.FreezeFilesystem)
        {
            steps.Add(new($"freeze the data directory's filesystem (fsfreeze), a watchdog process thawing it after {maxBlock} at the latest"));
        }

        var consistency = Consistency.FreezeFilesystem ? ToolTags.MethodOnlineFrozen : ToolTags.MethodOnline;
        steps.Add(SnapshotCreator.Describe(SnapshotRequests.For(settings.Instance, runId, host, now, new OnlineSnapshot(consistency, "(the recorded position)"))));
        steps.Add(new($"at once {(Consistency.FreezeFilesystem ? "thaw, " : string.Empty)}release the block and restore replication; "
            + $"commits stay blocked {maxBlock} at most, MySQL is never stopped"));
        return steps;
    }

    public async Task<RunReport> ExecuteAsync(Func<int> interruptedExitCode, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var layout = await online.ReadLayoutAsync(cancellationToken);
        var channels = await replication.RunningChannelsAsync(cancellationToken);
        var state = new OnlineState(new JournalEntry(runId, Environment.ProcessId, RunPhase.StoppingReplication, now, settings.Instance.VolumeId, channels, null, null, now)
        {
            Online = true,
        });
        Record(state, state.Entry);

        var timings = new RunTimings(clock);
        var notices = new List<Notice>();
        var attempt = new SnapshotAttempt(interruptedExitCode, cancellationToken);
        using var blockLimit = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock);
        using var createLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, blockLimit.Token);
        try
        {
            if (Consistency.FreezeFilesystem)
            {
                // The slow part of the freeze (the check, starting the watchdog process) now, while
                // commits run; under the block only the watchdog's arming and FIFREEZE remain.
                var freeze = freezer ?? throw new BackupException(ExitCodes.BadConfiguration, "consistency.freeze_filesystem is set but this build cannot freeze");
                state.Prepared = await freeze.PrepareAsync(layout.DataDirectory, OnlinePreflight.ToolPaths(settings), cancellationToken);
            }

            Log.WithProperty("step", "stop").Info("stopping replication");
            await replication.StopAsync(channels, cancellationToken);

            // Most of what is dirty goes to disk now, while commits still run: the sync under
            // the block below then has only the last moments to write.
            syncFilesystem(layout.DataDirectory);

            // The last journal write before the release: none under the block. It names the
            // watchdog, so it says "may be frozen" from before the freeze (a thaw of a filesystem
            // not frozen is harmless), with the latest thaw this run can promise: the lock's wait
            // and the block, each bounded by max_block, and the watchdog's wake-up. BlockingCommits
            // of an online run counts as "a CreateSnapshot may be in flight" for the recovery.
            var latestThaw = clock.GetUtcNow() + (2 * Consistency.MaxBlock) + TimeSpan.FromSeconds(1);
            Record(state, state.Entry with { Phase = RunPhase.BlockingCommits, CommitsBlocked = true, Freeze = state.Prepared?.RecordUntil(latestThaw) });
            var asked = clock.GetTimestamp();
            state.Lock = await online.BlockCommitsAsync(Consistency.MaxBlock, cancellationToken);
            state.Granted = clock.GetTimestamp();
            timings.Record("lock_wait", clock.GetElapsedTime(asked, state.Granted.Value));

            // CreateSnapshot must be answered within the block's limit, counted from the grant:
            // the lock's own watchdog ends the session a little later, as a backstop.
            blockLimit.CancelAfter(Consistency.MaxBlock);
            var position = await state.Lock.ReadPositionAsync(createLimit.Token);
            PositionFile.Write(layout.DataDirectory, position.Tag, runId, clock.GetUtcNow(), position.SourceHost, durable: false);
            Log.WithProperty("step", "position").Info("replica position {position} written to {file}", position.Tag, PositionFile.PathIn(layout.DataDirectory));

            // The server wrote its redo log under the block (FLUSH ENGINE LOGS) but, with
            // innodb_flush_log_at_trx_commit=2, maybe only to the OS cache: onto the device with
            // it, and with the position file (one syncfs instead of its own two fsyncs).
            syncFilesystem(layout.DataDirectory);

            if (state.Prepared is { } prepared)
            {
                var remaining = Consistency.MaxBlock - clock.GetElapsedTime(state.Granted.Value);
                state.Frozen = await prepared.FreezeAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), createLimit.Token);
                state.FrozenAt = clock.GetTimestamp();
            }

            var consistency = state.Frozen is null ? ToolTags.MethodOnline : ToolTags.MethodOnlineFrozen;
            var request = SnapshotRequests.For(settings.Instance, runId, host, clock.GetUtcNow(), new OnlineSnapshot(consistency, position.Tag));
            createLimit.Token.ThrowIfCancellationRequested();
            attempt.CreateSent = true;
            var snapshot = attempt.Snapshot = await timings.MeasureAsync("create", () => creator.CreateAsync(request, runId, notices, createLimit.Token));

            // Journaled with the release's first write, not while commits wait. A run killed in
            // between leaves a good snapshot that the next run marks late: the safe mistake.
            state.Entry = state.Entry with { SnapshotId = snapshot.Id };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The position file or the sync of the data directory's filesystem: no snapshot
            // without its position on disk.
            attempt.ExitCode = ExitCodes.SnapshotFailed;
            attempt.Problems.Add($"no snapshot taken: {e.Message}");
        }
        catch (Exception e)
        {
            attempt.Ended(e, createLimit.Token, $"CreateSnapshot had no answer within consistency.max_block_seconds ({Durations.Human(Consistency.MaxBlock)}), "
                + "so the block was released without waiting longer");
        }

        var release = await new OnlineRelease(settings, replication, creator.Store, journal, clock, runId).RunAsync(state, timings, attempt.MayExist);
        var taken = attempt.Snapshot;
        Log.WithProperty("step", "timings").WithProperty("snapshot", taken?.Id).Info("timings {timings}", timings.Describe());
        attempt.Undone(release.ExitCode, release.Problems);
        if (taken is not null && state.Lock?.ReleasedByWatchdog == true)
        {
            attempt.Problems.Add($"the block was held past consistency.max_block_seconds and ended by the watchdog; {taken.Id} was requested before that");
        }

        attempt.RethrowBug();
        var blocked = timings.Laps.TryGetValue("blocked", out var b) ? $"commits blocked {Durations.Human(b)}" : "commits never blocked";
        var frozen = timings.Laps.TryGetValue("frozen", out var f) ? $", frozen {Durations.Human(f)}" : string.Empty;
        var summary = taken is not null
            ? $"snapshot {taken.Id} ({taken.State.ToString().ToLowerInvariant()}), online: MySQL kept running, {blocked}{frozen}"
            : release.Late is { } late
                ? $"no consistent snapshot: {late.Id} landed after the block was released and is tagged {ToolTags.Method}={ToolTags.MethodInconsistentLate}; {blocked}"
            : attempt.MayExist
                ? $"no snapshot confirmed: CreateSnapshot was sent but its answer was lost; a snapshot of run {runId} that shows up later is tagged "
                    + $"{ToolTags.MethodInconsistentLate} by the next run; {blocked}"
                : $"no snapshot taken; MySQL kept running, {blocked}";
        return new RunReport(attempt.ExitCode, taken?.Id, null, timings.Laps.GetValueOrDefault("create"), summary, attempt.Problems)
        {
            Timings = timings.Laps,
            Notices = notices,
        };
    }

    private void Record(OnlineState state, JournalEntry next)
    {
        state.Entry = next with { UpdatedAt = clock.GetUtcNow() };
        journal.Write(state.Entry);
        Log.WithProperty("step", state.Entry.Phase.ToString()).Info("phase {phase}", state.Entry.Phase);
    }
}

/// <summary>What an online run holds at any instant, for the release to undo.</summary>
internal sealed class OnlineState(JournalEntry entry)
{
    public JournalEntry Entry { get; set; } = entry;

    public IBackupLock? Lock { get; set; }

    public long? Granted { get; set; }

    /// <summary>The freeze's watchdog, started before the block; until <see cref="Frozen"/> is set, nothing is frozen.</summary>
    public IPreparedFreeze? Prepared { get; set; }

    public IFrozenFilesystem? Frozen { get; set; }

    public long? FrozenAt { get; set; }
}
