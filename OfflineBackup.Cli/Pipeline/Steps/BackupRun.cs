using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Configuration;
using OfflineBackup.Service;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// The steps after the guards: stop replication, stop MySQL, snapshot, (wait), start MySQL,
/// restore replication. Whatever happens after the stop command was issued (an error, a timeout,
/// a signal, a bug) MySQL is started again before this returns; the journal covers the one
/// case no code can: the process being killed outright.
/// </summary>
public sealed class BackupRun(
    Settings settings,
    ReplicationStep replication,
    IMySqlService service,
    SnapshotCreator creator,
    SnapshotWaiter waiter,
    RunJournal journal,
    TimeProvider clock,
    string runId,
    string host,
    TimeSpan? replicationRestoreTimeout = null,
    StopPreparation? beforeStop = null) : IBackupRun
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>Syncs the data directory's filesystem between the stop and CreateSnapshot; none in unit tests of the sequence.</summary>
    public DataDirectorySync? DataSync { get; init; }

    /// <summary>How long restoring replication may take once MySQL is up again.</summary>
    public static readonly TimeSpan ReplicationRestoreTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The steps <see cref="ExecuteAsync"/> takes, in its order, each described by the object
    /// that carries it out: what <c>run --dry-run</c> prints.
    /// </summary>
    public IReadOnlyList<PlannedStep> Describe(DateTimeOffset now)
    {
        var service = settings.Service;
        return
        [
            ReplicationStep.DescribeStop(),
            .. beforeStop is null ? [] : new[] { beforeStop.PreFlush.Describe(), CleanShutdown.Describe() },
            new($"stop MySQL with `{service.StopCommand}` and wait up to {Durations.Human(service.StopTimeout)} until {settings.MySql.Host}:{settings.MySql.Port} is closed"),
            .. DataSync is null ? [] : new[] { DataDirectorySync.Describe() },
            SnapshotCreator.Describe(SnapshotRequests.For(settings.Instance, runId, host, now)),
            service.RestartAfter == RestartAfter.Completed
                ? waiter.Describe()
                : new("not wait: restart_after is pending, the snapshot is point-in-time once created"),
            new($"start MySQL with `{service.StartCommand}`, restore replication"),
        ];
    }

    /// <summary>Runs the steps. <paramref name="interruptedExitCode"/> tells which signal cancelled the token.</summary>
    public async Task<RunReport> ExecuteAsync(Func<int> interruptedExitCode, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var entry = new JournalEntry(runId, Environment.ProcessId, RunPhase.StoppingReplication, now, settings.Instance.VolumeId, [], null, null, now);
        var channels = await replication.RunningChannelsAsync(cancellationToken);
        entry = Record(entry with { ChannelsToRestart = channels });

        long? down = null;
        var timings = new RunTimings(clock);
        var notices = new List<Notice>();
        TimeSpan? snapshotTook = null;
        var attempt = new SnapshotAttempt(interruptedExitCode, cancellationToken);
        // The limit runs on the injected clock (a CancellationTokenSource made with a TimeProvider
        // arms that provider's timer, CancelAfter included); linked, so a signal cancels it too.
        using var downLimit = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock);
        using var maxDown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, downLimit.Token);
        try
        {
            Log.WithProperty("step", "stop").Info("stopping replication");
            await replication.StopAsync(channels, cancellationToken);
            var watch = beforeStop is null ? null : await PreFlushAndPrepareAsync(beforeStop, notices, cancellationToken);
            var dataDirectory = DataSync is null ? null : await DataSync.LocateAsync(cancellationToken);

            // From the moment the stop command may run, MySQL must be started again whatever happens.
            entry = Record(entry with { Phase = RunPhase.StoppingMySql, MySqlStoppedAt = clock.GetUtcNow() });
            down = clock.GetTimestamp();
            Log.WithProperty("step", "stop").Info("stopping MySQL with `{command}`", settings.Service.StopCommand);
            var stopping = entry;
            var stop = await timings.MeasureAsync("stop", () => service.StopAsync(
                group => entry = Record(stopping with { StopCommandGroup = group, StopCommandIdentity = CommandGroupIdentity.Of(group) }), cancellationToken));
            if (!stop.Reached)
            {
                throw new BackupException(ExitCodes.StopTimedOut, $"MySQL did not stop: {stop.Detail}. No snapshot was taken");
            }

            timings.MySqlDown();
            Log.WithProperty("step", "stop").Info("MySQL is down ({detail})", stop.Detail);
            if (watch is not null)
            {
                await CleanShutdown.ConfirmAsync(watch, notices, cancellationToken);
            }

            // MySQL stays down for the sync and CreateSnapshot together at most this long, whatever the disk or EC2 does.
            downLimit.CancelAfter(settings.Service.MaxDown);
            if (dataDirectory is not null)
            {
                await timings.MeasureAsync("sync", () => DataSync!.SyncAsync(dataDirectory, cancellationToken, maxDown.Token));
            }

            entry = Record(entry with { Phase = RunPhase.CreatingSnapshot });
            var snapshotStarted = clock.GetTimestamp();
            var request = SnapshotRequests.For(settings.Instance, runId, host, clock.GetUtcNow());

            cancellationToken.ThrowIfCancellationRequested();
            attempt.CreateSent = true;
            var snapshot = attempt.Snapshot = await timings.MeasureAsync("create", () => creator.CreateAsync(request, runId, notices, maxDown.Token));
            entry = Record(entry with { SnapshotId = snapshot.Id });

            if (settings.Service.RestartAfter == RestartAfter.Completed)
            {
                entry = Record(entry with { Phase = RunPhase.WaitingForSnapshot });
                var waited = await timings.MeasureAsync("wait", () => waiter.WaitAsync(snapshot, cancellationToken));
                snapshot = attempt.Snapshot = waited.Snapshot;
                if (waited.TimedOut)
                {
                    attempt.ExitCode = ExitCodes.SnapshotPending;
                    attempt.Problems.Add($"{snapshot.Id} was still pending at {snapshot.Progress} after {Durations.Human(settings.Service.SnapshotWaitTimeout)}; "
                        + "MySQL was started anyway (the snapshot is point-in-time and completes on its own)");
                }
            }

            snapshotTook = clock.GetElapsedTime(snapshotStarted);
        }
        catch (Exception e)
        {
            attempt.Ended(e, maxDown.Token, $"CreateSnapshot had no answer within service.max_down_seconds ({Durations.Human(settings.Service.MaxDown)}), "
                + "so MySQL was started without waiting longer");
        }

        var restore = await BringBackAsync(entry, down, timings, notices, attempt.MayExist);
        Log.WithProperty("step", "timings").WithProperty("snapshot", attempt.Snapshot?.Id).Info("timings {timings}", timings.Describe());
        attempt.Undone(restore.ExitCode, restore.Problems);
        attempt.RethrowBug();
        var reported = attempt.Snapshot ?? restore.Adopted;
        var downFor = restore.DownFor;
        var downText = down is null ? "MySQL not stopped"
            : downFor is { } d ? $"MySQL down {Durations.Human(d)}"
            : "MySQL still DOWN";
        var summary = reported is not null
            ? $"snapshot {reported.Id} ({reported.State.ToString().ToLowerInvariant()}), {downText}"
                + (snapshotTook is { } took ? $", snapshot took {Durations.Human(took)}" : string.Empty)
            : attempt.MayExist
                ? $"no snapshot confirmed: CreateSnapshot was sent but its answer was lost, so a snapshot of run {runId} may exist "
                    + $"(the next run adopts it); {downText}"
                : $"no snapshot taken; {downText}";
        return new RunReport(attempt.ExitCode, reported?.Id, downFor, snapshotTook, summary, attempt.Problems) { Timings = timings.Laps, Notices = notices };

        async Task<ShutdownWatch> PreFlushAndPrepareAsync(StopPreparation preparation, List<Notice> found, CancellationToken token)
        {
            await preparation.PreFlush.RunAsync(
                originals => entry = Record(entry with { Phase = RunPhase.PreFlushing, Changed = new ChangedSettings(originals, clock.GetUtcNow()) }),
                found,
                token);
            return await preparation.Shutdown.PrepareAsync(found, token);
        }

        JournalEntry Record(JournalEntry next)
        {
            next = next with { UpdatedAt = clock.GetUtcNow() };
            journal.Write(next);
            Log.WithProperty("step", next.Phase.ToString()).Info("phase {phase}", next.Phase);
            return next;
        }
    }

    /// <summary>How bringing MySQL back went; <see cref="DownFor"/> runs from the stop command to the server answering again.</summary>
    private sealed record Restore(int ExitCode, IReadOnlyList<string> Problems, TimeSpan? DownFor, Snapshot? Adopted = null);

    /// <summary>
    /// Starts MySQL when a stop was issued, then restores replication, then settles the journal.
    /// Runs with its own timeouts and without the invocation's token: a signal must not cut the
    /// restart short. Starting MySQL comes before any bookkeeping that can fail (a journal on a
    /// full or read-only disk). The journal is cleared only once MySQL is up, so a failed start
    /// is retried by the next run; when a CreateSnapshot may have landed unseen, it is kept so
    /// the next run adopts that snapshot instead of making another.
    /// </summary>
    private async Task<Restore> BringBackAsync(JournalEntry entry, long? down, RunTimings timings, List<Notice> notices, bool mayExist)
    {
        var problems = new List<string>();
        var journalFailed = false;
        void Journal(Action write) => journalFailed |= !JournalTrouble.TryWrite(problems, write);

        TimeSpan? downFor = null;
        if (down is { } stoppedAt)
        {
            var starting = entry with { Phase = RunPhase.StartingMySql };
            Journal(() => journal.Write(starting with { UpdatedAt = clock.GetUtcNow() }));

            // The start command's group is recorded as it starts, so that the next run can settle
            // it if this one is killed during the start; a failed write never holds the start up.
            var failure = await timings.MeasureAsync("start", () => StartMySqlAsync(
                service, settings.Service, notices, CancellationToken.None,
                group => Journal(() => journal.Write(starting with
                {
                    StartCommandGroup = group, StartCommandIdentity = CommandGroupIdentity.Of(group), UpdatedAt = clock.GetUtcNow(),
                }))));
            if (failure is not null)
            {
                return new Restore(ExitCodes.StartFailed, [.. problems, failure], null);
            }

            downFor = clock.GetElapsedTime(stoppedAt);
            timings.MySqlUp();
        }

        // The pre-flush's limits go back before replication resumes, whether MySQL was stopped
        // or not; after a restart they are back by themselves, which is checked, not assumed.
        var unrestored = entry.Changed is { } changed && beforeStop is not null
            ? await beforeStop.Undo.RestoreAsync(changed, CancellationToken.None)
            : null;
        if (unrestored is not null)
        {
            problems.Add(unrestored);
        }
        else if (entry.Changed is not null && beforeStop is not null)
        {
            // Put back: a journal kept from here on (a lost snapshot answer) must not say they are lowered.
            entry = entry with { Changed = null };
        }

        Journal(() => journal.Write(entry with { Phase = RunPhase.RestoringReplication, UpdatedAt = clock.GetUtcNow() }));
        var replicationProblems = await timings.MeasureAsync(
            "replication", () => replication.RestoreAsync(entry.ChannelsToRestart, replicationRestoreTimeout ?? ReplicationRestoreTimeout, CancellationToken.None));
        problems.AddRange(replicationProblems);
        var exitCode = replicationProblems.Count == 0 && unrestored is null ? ExitCodes.Success : ExitCodes.ReplicaUnhealthy;

        var adopted = mayExist ? await FindLostSnapshotAsync() : null;
        if (mayExist && adopted is null)
        {
            problems.Add($"a snapshot of run {runId} may exist (CreateSnapshot was sent, its answer lost); none other was created. "
                + "The next run adopts it once it shows up");
            Journal(() => journal.Write(entry with { Phase = RunPhase.SnapshotInFlight, UpdatedAt = clock.GetUtcNow() }));
        }
        else if (unrestored is null)
        {
            Journal(journal.Clear);
        }

        // With limits left lowered the journal stays (phase RestoringReplication, the originals
        // in it): MySQL runs, only a setting is left behind, and the next run puts it back.
        if (journalFailed && exitCode == ExitCodes.Success)
        {
            exitCode = ExitCodes.JournalFailed;
        }

        return new Restore(exitCode, problems, downFor, adopted);
    }

    /// <summary>With MySQL up again, a last look for a snapshot whose CreateSnapshot answer was lost.</summary>
    private async Task<Snapshot?> FindLostSnapshotAsync()
    {
        var found = await LostSnapshotLookup.FindAsync(creator.Store, settings.Instance.VolumeId, runId, clock, "the restart");
        if (found is not null)
        {
            Log.WithProperty("step", "snapshot").WithProperty("snapshot", found.Id)
                .Warn("{snapshot} of run {runId} exists although its CreateSnapshot answer was lost: adopting it", found.Id, runId);
        }

        return found;
    }

    /// <summary>
    /// Runs the start command, once more if it fails; null when MySQL is up, else the loud message
    /// for exit 9. A failed first attempt is added to <paramref name="notices"/> for the person.
    /// </summary>
    public static async Task<string?> StartMySqlAsync(
        IMySqlService service, ServiceSettings settings, List<Notice> notices, CancellationToken cancellationToken, Action<int>? groupStarted = null)
    {
        groupStarted ??= _ => { };
        Log.WithProperty("step", "start").Info("starting MySQL with `{command}`", settings.StartCommand);
        var first = await service.StartAsync(groupStarted, cancellationToken);
        if (first.Reached)
        {
            Log.WithProperty("step", "start").Info("MySQL is up ({detail})", first.Detail);
            return null;
        }

        Log.WithProperty("step", "start").Error("MySQL did not start: {detail}; trying once more", first.Detail);
        notices.Add(Notice.Error($"MySQL did not start: {first.Detail}; trying once more"));
        var second = await service.StartAsync(groupStarted, cancellationToken);
        if (second.Reached)
        {
            Log.WithProperty("step", "start").Info("MySQL is up on the second attempt ({detail})", second.Detail);
            return null;
        }

        var message = $"THE DATABASE IS DOWN: MySQL could not be started again. `{settings.StartCommand}` failed twice: {second.Detail}. "
            + "Start MySQL by hand now (check the MySQL error log and `systemctl status mysql`); then run `offline-backup run` "
            + "to restore replication and clear the state journal";
        Log.WithProperty("step", "start").Fatal("{message}", message);
        return message;
    }
}
