using OfflineBackup.Aws;
using OfflineBackup.Copies;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline.Guards;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Retention;

namespace OfflineBackup.Pipeline;

/// <summary>
/// The commands about the volume's snapshots rather than a backup: <c>prune</c> (retention on its
/// own, under the lock held as a scope, refused while an interrupted run awaits recovery) and
/// <c>list</c> (only looks: never takes the lock). Neither talks to MySQL.
/// </summary>
public sealed class InventoryPipeline(PipelineWorld world, RetentionStep retention, CopyStep? copies = null)
{
    private static readonly IGuard[] PruneGuards = [new LockGuard(), new InterruptedRunGuard()];

    /// <summary><c>prune</c>, or with <paramref name="dryRun"/> its plan and a DryRun probe (the lock only looked at).</summary>
    public async Task<PruneOutcome> PruneAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var context = world.NewGuardContext();
        if (dryRun)
        {
            return await Refusal(context, PruneGuards, cancellationToken) is { } lookedAt
                ? new PruneOutcome(lookedAt, null)
                : await PlanAsync(cancellationToken);
        }

        var (held, refused) = RunLock.Hold(world.Settings.Instance.LockFilename, world.Clock.GetUtcNow());
        using var scope = held;
        if (refused is not null)
        {
            return new PruneOutcome(refused, null);
        }

        return await Refusal(context, [new InterruptedRunGuard()], cancellationToken) is { } refusal
            ? new PruneOutcome(refusal, null)
            : new PruneOutcome(null, await retention.RunAsync(cancellationToken));
    }

    /// <summary><c>list</c>: the lock and the journal as they are, and retention's verdict on every snapshot.</summary>
    public async Task<InventoryView> ListAsync(CancellationToken cancellationToken)
    {
        var path = world.Settings.Instance.LockFilename;
        var (holder, lockError) = LockGuard.Look(path);
        JournalEntry? journal = null;
        string? journalError = null;
        try
        {
            journal = world.Journal.Read();
        }
        catch (BackupException e)
        {
            journalError = e.Message;
        }

        var snapshots = await world.Store.ListWithLocksAsync(world.Policy.VolumeId, cancellationToken);
        var plan = RetentionStep.Plan(snapshots, world.Policy, world.Clock.GetUtcNow());
        return new InventoryView(path, holder, lockError?.Message, journal, journalError, plan)
        {
            Copies = copies is null ? null : await copies.PlanCopiesAsync(world.Settings, cancellationToken),
        };
    }

    private async Task<PruneOutcome> PlanAsync(CancellationToken cancellationToken)
    {
        var notices = new List<Notice>();
        try
        {
            var plan = await retention.PlanAsync(cancellationToken);
            return new PruneOutcome(null, null) { Plan = plan, Probe = await retention.ProbeAsync(plan, notices, cancellationToken), Notices = notices };
        }
        catch (BackupException e) when (e.ExitCode is ExitCodes.RetentionIncomplete or ExitCodes.PermissionDenied)
        {
            return new PruneOutcome(null, null) { DryRunFailure = e, Notices = notices };
        }
    }

    private static async Task<GuardResult?> Refusal(GuardContext context, IReadOnlyList<IGuard> guards, CancellationToken cancellationToken)
    {
        var results = await new GuardPipeline(guards).EvaluateUntilRefusalAsync(context, guards, cancellationToken);
        return results.FirstOrDefault(r => !r.Passed);
    }
}

/// <summary>
/// What <c>prune</c> did: refused by the lock or journal guard, or retention's result; for a dry
/// run, the plan and the probe (or why they could not be had).
/// </summary>
public sealed record PruneOutcome(GuardResult? Refusal, RetentionResult? Result)
{
    public RetentionPlan? Plan { get; init; }

    public PermissionProbe? Probe { get; init; }

    public BackupException? DryRunFailure { get; init; }

    /// <summary>What the dry run's probe has to tell a person; a real prune's are in <see cref="Result"/>.</summary>
    public IReadOnlyList<Notice> Notices { get; init; } = [];
}

/// <summary>What <c>list</c> shows: the lock (looked at), the journal and retention's plan over the inventory.</summary>
public sealed record InventoryView(
    string LockPath, string? LockHolder, string? LockError, JournalEntry? Journal, string? JournalError, RetentionPlan Plan)
{
    /// <summary>With a copy: section, the copies in the copy region and their retention's verdict.</summary>
    public RetentionPlan? Copies { get; init; }
}
