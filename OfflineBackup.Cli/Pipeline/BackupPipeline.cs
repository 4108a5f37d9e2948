using OfflineBackup.Aws;
using OfflineBackup.Copies;
using OfflineBackup.Drill;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline.Steps;

namespace OfflineBackup.Pipeline;

/// <summary>
/// The one sequence of a backup: the lock, held as a scope for the invocation; recovery of an
/// interrupted run; the guards; the backup steps (stop mode's <see cref="BackupRun"/> or online
/// mode's <see cref="OnlineBackupRun"/>); retention; copies; a scheduled drill. <c>run</c>
/// executes it, its dry run and <c>check</c> look at it without taking the lock or changing
/// anything; every step describes itself for <see cref="PlanAsync"/>.
/// </summary>
public sealed class BackupPipeline(
    PipelineWorld world,
    RunRecovery recovery,
    IBackupRun backup,
    RetentionStep retention,
    CopyStep? copies = null,
    DrillRunner? drill = null,
    IGuard? onlinePreflight = null)
{
    private readonly GuardPipeline _guards = GuardPipeline.Standard(world.Host, onlinePreflight);

    /// <summary><c>run</c>: everything, stopping at the first refusal; the lock is held until this returns.</summary>
    public async Task<RunOutcome> RunAsync(Func<int> interruptedExitCode, CancellationToken cancellationToken)
    {
        var path = world.Settings.Instance.LockFilename;
        var (held, refused) = RunLock.Hold(path, world.Clock.GetUtcNow());
        using var scope = held;
        if (refused is not null)
        {
            return RunOutcome.Refused([refused]);
        }

        var outcome = await RunLockedAsync(interruptedExitCode, cancellationToken);

        // Every hour, due or not, after the backup's own recovery (MySQL first): a killed drill's
        // server and volume must not wait days for the next drill.
        return drill is null ? outcome : outcome with { DrillLeftovers = await drill.RemoveLeftoversAsync(cancellationToken) };
    }

    private async Task<RunOutcome> RunLockedAsync(Func<int> interruptedExitCode, CancellationToken cancellationToken)
    {
        var path = world.Settings.Instance.LockFilename;
        var context = world.NewGuardContext();
        var results = new List<GuardResult> { GuardResult.Pass("lock", $"acquired {path}") };
        RecoveryOutcome? recovered = null;
        if (context.JournalEntry is { } interrupted)
        {
            // Under the lock the journal's writer is certainly gone: finish what it left first.
            recovered = await recovery.RecoverAsync(interrupted, cancellationToken);
            context.JournalIs(recovered.Journal);
            if (recovered.ExitCode != ExitCodes.Success || recovered.HoldOffUntil is not null)
            {
                var code = recovered.ExitCode != ExitCodes.Success ? recovered.ExitCode : ExitCodes.SnapshotPending;
                return new RunOutcome(code, results) { Recovery = recovered };
            }
        }

        results.AddRange(await _guards.EvaluateUntilRefusalAsync(context, _guards.AfterLock, cancellationToken));
        var exitCode = GuardPipeline.ExitCodeOf(results);
        if (exitCode == ExitCodes.NotDue && copies is not null)
        {
            // The hourly not-due run copies a snapshot that completed after its own run ended.
            var late = await copies.RunAsync(world.Settings, cancellationToken);
            return new RunOutcome(late.ExitCode == ExitCodes.Success ? exitCode : late.ExitCode, results) { Recovery = recovered, Copies = late };
        }

        if (exitCode != ExitCodes.Success)
        {
            return new RunOutcome(exitCode, results) { Recovery = recovered };
        }

        var report = await backup.ExecuteAsync(interruptedExitCode, cancellationToken);
        if (report.ExitCode != ExitCodes.Success)
        {
            return new RunOutcome(report.ExitCode, results) { Recovery = recovered, Report = report };
        }

        // Retention only after a good snapshot: a failing backup must never thin out the
        // backups that still work.
        var pruned = await retention.RunAsync(cancellationToken);

        // After retention, whatever it did: a copy never waits on, nor blocks, the backup.
        var copied = copies is null ? null : await copies.RunAsync(world.Settings, cancellationToken);
        var drilled = await DrillIfDueAsync(cancellationToken);
        var finalCode = new[] { pruned.ExitCode, drilled?.ExitCode ?? ExitCodes.Success, copied?.ExitCode ?? ExitCodes.Success }
            .FirstOrDefault(code => code != ExitCodes.Success);
        return new RunOutcome(finalCode, results) { Recovery = recovered, Report = report, Retention = pruned, Copies = copied, Drill = drilled };
    }

    /// <summary>
    /// After a good backup and retention: a restore drill of the new snapshot when drill.every_days
    /// says one is due. A drill that cannot even start is reported as failed; the backup stands.
    /// </summary>
    private async Task<ScheduledDrill?> DrillIfDueAsync(CancellationToken cancellationToken)
    {
        if (drill is null || world.Settings.Drill.EveryDays is null)
        {
            return null;
        }

        var snapshots = await world.Store.ListVolumeSnapshotsAsync(world.Settings.Instance.VolumeId, cancellationToken);
        var lastPassed = DrillSchedule.LastPassed(snapshots);
        if (!DrillSchedule.IsDue(world.Settings.Drill.EveryDays, lastPassed, world.Clock.GetUtcNow()))
        {
            return null;
        }

        try
        {
            var (report, notices) = await drill.RunAsync(null, cancellationToken);
            return new ScheduledDrill(report, notices, report.ExitCode, $"drill {report.Result}");
        }
        catch (BackupException e)
        {
            return new ScheduledDrill(null, [Notice.Error($"drill: {e.Message}")], ExitCodes.DrillFailed, "drill failed to start");
        }
    }

    /// <summary>
    /// <c>run --dry-run</c>: the guards as a run would meet them (the lock only looked at, no
    /// recovery), then the steps a run would take, described by the steps themselves.
    /// </summary>
    public async Task<RunPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var context = world.NewGuardContext();
        var results = await _guards.EvaluateUntilRefusalAsync(context, _guards.Guards, cancellationToken);
        var exitCode = GuardPipeline.ExitCodeOf(results);
        if (exitCode != ExitCodes.Success)
        {
            return new RunPlan(exitCode, results, []);
        }

        var now = world.Clock.GetUtcNow();
        var inventory = await world.Store.WithLocksAsync(await context.VolumeSnapshotsAsync(cancellationToken), cancellationToken);
        var plan = RetentionStep.Plan(inventory, world.Policy, now);
        // In a run's order: retention, copies, then the drill of the new snapshot.
        IReadOnlyList<PlannedStep> later =
        [
            .. copies is null ? [] : new[] { CopyStep.Describe(world.Settings) },
            .. drill is not null && DrillSchedule.Describe(world.Settings.Drill, inventory, now) is { } drilled ? new[] { drilled } : [],
        ];
        return new RunPlan(exitCode, results, [.. backup.Describe(now), RetentionStep.Describe(plan), .. later]);
    }

    /// <summary><c>check</c>: every guard, refusals and all; the lock only looked at.</summary>
    public async Task<IReadOnlyList<GuardResult>> CheckAsync(CancellationToken cancellationToken)
    {
        var results = await _guards.EvaluateAllAsync(world.NewGuardContext(), cancellationToken);
        return copies is null ? results : [.. results, await copies.ProbeAsync(world.Settings, cancellationToken)];
    }
}

/// <summary>What a run did: the guards it met and, when it got that far, recovery, steps and retention.</summary>
public sealed record RunOutcome(int ExitCode, IReadOnlyList<GuardResult> Guards)
{
    public RecoveryOutcome? Recovery { get; init; }

    public RunReport? Report { get; init; }

    public RetentionResult? Retention { get; init; }

    /// <summary>The copy pass, with a copy: section: after the daily snapshot, and on the hourly not-due run.</summary>
    public CopyResult? Copies { get; init; }

    /// <summary>The restore drill the run performed (drill.every_days), if one was due.</summary>
    public ScheduledDrill? Drill { get; init; }

    /// <summary>What an earlier, killed drill had left and this run removed (or could not).</summary>
    public IReadOnlyList<Notice> DrillLeftovers { get; init; } = [];

    /// <summary>The guard that said no, if one did.</summary>
    public GuardResult? Refusal => Guards.FirstOrDefault(g => !g.Passed);

    public static RunOutcome Refused(IReadOnlyList<GuardResult> guards) => new(GuardPipeline.ExitCodeOf(guards), guards);
}

/// <summary>What <c>run --dry-run</c> found: the guards, and the steps a real run would take now (none after a refusal).</summary>
public sealed record RunPlan(int ExitCode, IReadOnlyList<GuardResult> Guards, IReadOnlyList<PlannedStep> Steps);
