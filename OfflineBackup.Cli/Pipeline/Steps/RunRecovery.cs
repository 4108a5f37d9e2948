using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Configuration;
using OfflineBackup.Platform;
using OfflineBackup.Service;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// What a recovery did. <see cref="HoldOffUntil"/> is set while a dead run's CreateSnapshot may
/// still land; <see cref="Journal"/> is the journal as the recovery left it. A failed recovery
/// has a non-zero <see cref="ExitCode"/> and says why in <see cref="Summary"/>.
/// </summary>
public sealed record RecoveryOutcome(string Summary, DateTimeOffset? HoldOffUntil, JournalEntry? Journal)
{
    public int ExitCode { get; init; } = ExitCodes.Success;

    /// <summary>Warnings and errors on the way (a failed first start), in order, for the command to print.</summary>
    public IReadOnlyList<Notice> Notices { get; init; } = [];
}

/// <summary>
/// Finishes what a killed run left, from its journal: starts MySQL if that run may have
/// stopped it, restarts the replication it stopped, and adopts the snapshot it made (by id,
/// else by its run-id tag) so that no second snapshot is taken for it. Runs after the lock is
/// taken, so the journal's writer is certainly gone.
/// </summary>
public sealed class RunRecovery(
    Settings settings, RunJournal journal, IMySqlService service, ReplicationStep replication, ISnapshotStore store, TimeProvider clock,
    PreFlushUndo? undo = null, IFilesystemFreezer? freezer = null)
{
    /// <summary>
    /// How long after a killed CreateSnapshot its snapshot may still appear: longer than the
    /// SDK's request timeout with its retries. Until then a new snapshot could be a second one.
    /// </summary>
    public static readonly TimeSpan InFlightWindow = TimeSpan.FromMinutes(10);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>Finishes what the run of <paramref name="entry"/> (the journal, read once by the caller) left.</summary>
    public async Task<RecoveryOutcome> RecoverAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var notices = new List<Notice>();

        var alive = entry.Pid != Environment.ProcessId && LibC.ProcessExists(entry.Pid);
        Log.WithProperty("step", "recovery").Info(
            "found the journal of interrupted run {run} (PID {pid}{alive}) in phase {phase}",
            entry.RunId, entry.Pid, alive ? ", a process with that PID exists but holds no lock" : ", gone", entry.Phase);

        var done = new List<string>();
        if (entry.Freeze is { } freeze)
        {
            // First: while it is frozen, every write to it (MySQL's included) waits.
            done.Add(freezer is null
                ? $"{freeze.MountPoint} was frozen by it and this build cannot thaw: run `fsfreeze -u {freeze.MountPoint}`"
                : await freezer.ThawLeftoverAsync(freeze, CancellationToken.None) ?? $"{freeze.MountPoint} was no longer frozen");
        }

        if (entry.CommitsBlocked)
        {
            // The server ended the dead run's session, and the backup lock with it.
            done.Add("its backup lock ended with its session");
        }

        if (entry.StopGroup is { } group && entry.MySqlMayBeDown && await StopCommandGroup.EndAsync(group, clock) is { } ended)
        {
            Settled(ended);
        }

        if (entry.StartGroup is { } starting && entry.MySqlMayBeDown
            && await StartCommandGroup.SettleAsync(starting, entry.UpdatedAt + settings.Service.StartTimeout, service, settings.Service.PidFile, clock) is { } settled)
        {
            Settled(settled);
        }

        if (entry.MySqlMayBeDown)
        {
            // Started even if it answers: a stop that was under way may still take it down, and
            // the start command (systemctl start) is harmless on a running server. Its group is
            // recorded as the run's was (UpdatedAt kept: the in-flight window counts from it), so
            // a recovery killed while it starts MySQL leaves it to the next one.
            var failure = await BackupRun.StartMySqlAsync(service, settings.Service, notices, CancellationToken.None, RecordStartGroup);
            if (failure is not null)
            {
                return new RecoveryOutcome(failure, null, entry) { ExitCode = ExitCodes.StartFailed, Notices = notices };
            }

            done.Add("MySQL started");
        }

        // The pre-flush's limits go back first: a replication problem must not leave them lowered.
        var problems = new List<string>();
        if (entry.Changed is { } changed && undo is not null)
        {
            if (await undo.RestoreAsync(changed, CancellationToken.None) is { } unrestored)
            {
                problems.Add(unrestored);
            }
            else
            {
                done.Add($"{changed.FlushLimits} as before");
            }
        }

        problems.AddRange(await replication.RestoreAsync(entry.ChannelsToRestart, BackupRun.ReplicationRestoreTimeout, CancellationToken.None));
        if (problems.Count > 0)
        {
            return new RecoveryOutcome($"recovering run {entry.RunId}: " + string.Join("; ", problems), null, entry)
            {
                ExitCode = ExitCodes.ReplicaUnhealthy,
                Notices = notices,
            };
        }

        done.Add(entry.ChannelsToRestart.Count == 0 ? "no replication to restore" : "replication running");

        var snapshot = entry.SnapshotId is { } id
            ? await store.FindSnapshotAsync(id, cancellationToken)
            : await store.FindByRunIdAsync(entry.VolumeId, entry.RunId, cancellationToken);
        if (entry.Online && entry.SnapshotId is null && snapshot is not null && snapshot.Tag(ToolTags.Method) != ToolTags.MethodInconsistentLate)
        {
            // Its answer never came while commits were blocked: it may show any later instant.
            await LateSnapshots.MarkAsync(store, snapshot, cancellationToken);
            done.Add($"its snapshot {snapshot.Id} landed without an answer and is tagged {ToolTags.Method}={ToolTags.MethodInconsistentLate}");
        }

        // An online run journals nothing while commits are blocked (but a freeze): from
        // BlockingCommits on, its CreateSnapshot may have been sent.
        var inFlight = snapshot is null
            && (entry.Phase is RunPhase.CreatingSnapshot or RunPhase.SnapshotInFlight || (entry.Online && entry.Phase == RunPhase.BlockingCommits));
        DateTimeOffset? holdOffUntil = inFlight && clock.GetUtcNow() < entry.UpdatedAt + InFlightWindow
            ? entry.UpdatedAt + InFlightWindow
            : null;
        JournalEntry? left = null;
        if (holdOffUntil is not null)
        {
            // Keep the journal (MySQL is fine now) so that every run until then holds off too.
            left = entry with { Phase = RunPhase.SnapshotInFlight, Freeze = null, CommitsBlocked = false };
            journal.Write(left);
            done.Add($"its CreateSnapshot was in flight and may still land: no new snapshot before {Durations.Utc(holdOffUntil.Value)}");
        }
        else
        {
            done.Add(snapshot is null
                ? "it had made no snapshot"
                : $"adopted its snapshot {snapshot.Id} ({snapshot.State.ToString().ToLowerInvariant()} {snapshot.Progress})");
            journal.Clear();
        }

        var summary = $"recovered from interrupted run {entry.RunId} (phase {entry.Phase}): {string.Join(", ", done)}";
        Log.WithProperty("step", "recovery").WithProperty("snapshot", snapshot?.Id).Warn("{summary}", summary);
        return new RecoveryOutcome(summary, holdOffUntil, left) { Notices = notices };

        void Settled(GroupOutcome outcome)
        {
            done.Add(outcome.Text);
            if (outcome.NeedsPerson)
            {
                notices.Add(Notice.Warning(outcome.Text));
            }
        }

        void RecordStartGroup(int group)
        {
            try
            {
                journal.Write(entry with { StartCommandGroup = group, StartCommandIdentity = CommandGroupIdentity.Of(group) });
            }
            catch (JournalException e)
            {
                // MySQL is started whatever the journal does; the failure shows again when it is cleared.
                Log.WithProperty("step", "recovery").Error("{message}", e.Message);
            }
        }
    }
}
