using OfflineBackup.Aws;
using OfflineBackup.Pipeline;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Retention;

namespace OfflineBackup.Metrics;

/// <summary>How the last backup went: succeeded means a snapshot was taken and MySQL is back.</summary>
public sealed record BackupFigures(bool Succeeded, TimeSpan? MySqlUnavailable, TimeSpan? SnapshotTook);

/// <summary>How the last restore drill went; the restore time is null when no server answered.</summary>
public sealed record DrillFigures(bool Passed, TimeSpan? RestoreTime);

/// <summary>How the last retention pass went.</summary>
public sealed record RetentionFigures(int Deleted, bool Succeeded);

/// <summary>
/// What one invocation learned, as the command goes: the guards it evaluated, the snapshots it
/// listed, the backup and the retention pass. Anything left unset was not learned, and the
/// metrics file carries its previous value forward. Commands only report here; the session
/// writes the file once the exit code is known.
/// </summary>
public sealed class InvocationFacts
{
    private readonly Dictionary<string, bool> _guards = new(StringComparer.Ordinal);

    /// <summary>A dry run is recorded under its own command label, so it never counts as the run cron watches.</summary>
    public bool DryRun { get; set; }

    public IReadOnlyDictionary<string, bool> Guards => _guards;

    /// <summary>True once the replica guard was evaluated: then <see cref="ReplicaLag"/> is the truth, even when unknown.</summary>
    public bool ReplicaEvaluated { get; private set; }

    public TimeSpan? ReplicaLag { get; private set; }

    /// <summary>The volume's snapshots as last listed, or null when this invocation listed none.</summary>
    public IReadOnlyList<Snapshot>? Snapshots { get; private set; }

    public BackupFigures? Backup { get; private set; }

    public RetentionFigures? Retention { get; private set; }

    public DrillFigures? Drill { get; private set; }

    public void ObserveGuards(IEnumerable<GuardResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            _guards[result.Guard] = result.Passed;
            if (result.Guard == "replica")
            {
                ReplicaEvaluated = true;
                ReplicaLag = result.ReplicaLag;
            }
        }
    }

    /// <summary>What <c>run</c> did: the guards it met, the backup and the retention pass when it got that far.</summary>
    public void ObserveRun(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ObserveGuards(outcome.Guards);
        if (outcome.Report is { } report)
        {
            ObserveBackup(report.ExitCode == 0, report.MySqlDownFor, report.SnapshotTook);
        }

        if (outcome.Retention is { } retention)
        {
            ObserveRetention(retention);
        }

        if (outcome.Drill?.Report is { } drill)
        {
            ObserveDrill(drill.Passed, drill.RestoreTime);
        }
    }

    /// <summary>A restore drill that ran (by <c>drill</c>, or by <c>run</c> with drill.every_days).</summary>
    public void ObserveDrill(bool passed, TimeSpan? restoreTime) => Drill = new DrillFigures(passed, restoreTime);

    /// <summary>What <c>prune</c> did: refused, pruned, or planned (a dry run).</summary>
    public void ObservePrune(PruneOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Refusal is { } refusal)
        {
            ObserveGuards([refusal]);
        }

        if (outcome.Result is { } result)
        {
            ObserveRetention(result);
        }
        else
        {
            ObservePlan(outcome.Plan);
        }
    }

    /// <summary>The guards' DescribeSnapshots sweep, when one was made (null leaves the previous figures).</summary>
    public void ObserveSnapshots(IReadOnlyList<Snapshot>? snapshots)
    {
        if (snapshots is not null)
        {
            Snapshots = snapshots;
        }
    }

    public void ObserveBackup(bool succeeded, TimeSpan? mySqlUnavailable, TimeSpan? snapshotTook) =>
        Backup = new BackupFigures(succeeded, mySqlUnavailable, snapshotTook);

    /// <summary>A retention pass that deleted; its sweep is the freshest inventory, less what it deleted.</summary>
    public RetentionResult ObserveRetention(RetentionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Retention = new RetentionFigures(result.Deleted.Count + result.AlreadyGone.Count, result.ExitCode == 0);
        ObservePlan(result.Plan, result.Deleted.Concat(result.AlreadyGone));
        return result;
    }

    /// <summary>A plan's inventory (a dry run's, or a pass's before its deletions).</summary>
    public void ObservePlan(RetentionPlan? plan, IEnumerable<RetentionDecision>? gone = null)
    {
        if (plan is null)
        {
            return;
        }

        var removed = (gone ?? []).Select(d => d.SnapshotId).ToHashSet(StringComparer.Ordinal);
        Snapshots = plan.Decisions.Where(d => !removed.Contains(d.SnapshotId)).Select(d => d.Snapshot).ToList();
    }
}
