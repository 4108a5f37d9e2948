using System.Text.RegularExpressions;
using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Retention;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// Carries out retention: one DescribeSnapshots sweep, the planner's decisions, then the
/// deletions, oldest first. Used by <c>prune</c> and by <c>run</c> after a successful snapshot.
/// A snapshot backing an AMI is skipped with a warning; throttling is waited out a few times;
/// any other failure is recorded and the next deletion goes ahead, except a denied permission,
/// which stops the pass at once because every further call would be denied too.
/// </summary>
public sealed partial class RetentionStep(ISnapshotStore store, RetentionPolicy policy, TimeProvider clock, IReadOnlyList<TimeSpan>? throttleBackoff = null)
{
    /// <summary>Waits after EC2 still throttles a DeleteSnapshot once the SDK's own retries are spent.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultThrottleBackoff =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    private const string ThrottledCode = "RequestLimitExceeded";

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly IReadOnlyList<TimeSpan> _backoff = throttleBackoff ?? DefaultThrottleBackoff;

    /// <summary>
    /// Sweep, plan and delete: what <c>run</c> calls after its snapshot. EC2 failures do not throw;
    /// they come back in the result (exit 10, or 11 for a denied permission).
    /// </summary>
    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        RetentionPlan plan;
        try
        {
            plan = await PlanAsync(cancellationToken);
        }
        catch (BackupException e) when (e.ExitCode is ExitCodes.RetentionIncomplete or ExitCodes.PermissionDenied
            or ExitCodes.Ec2Unreachable or ExitCodes.BadConfiguration)
        {
            Logger(null).Error("{message}", e.Message);
            return RetentionResult.SweepFailed(policy.VolumeId, e.ExitCode, e.Message);
        }

        return await ExecuteAsync(plan, cancellationToken);
    }

    /// <summary>The sweep and the plan, nothing deleted.</summary>
    /// <exception cref="BackupException">Exit 11 when DescribeSnapshots is denied, 10 for any other failure to list.</exception>
    public async Task<RetentionPlan> PlanAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Snapshot> snapshots;
        try
        {
            snapshots = await store.ListWithLocksAsync(policy.VolumeId, cancellationToken);
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw AsRetentionFailure(e, $"cannot list the snapshots of {policy.VolumeId}");
        }

        var plan = Plan(snapshots, policy, clock.GetUtcNow());
        Logger(null).Info("retention plan: {summary}", plan.Summary());
        return plan;
    }

    /// <summary>
    /// The planner's answer on an inventory already read, as every command asks it (run, its dry
    /// run, prune and list): a doubtful inventory is the same exit 10 everywhere.
    /// </summary>
    /// <exception cref="BackupException">Exit 10 when a snapshot is listed twice.</exception>
    public static RetentionPlan Plan(IReadOnlyList<Snapshot> snapshots, RetentionPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        try
        {
            return RetentionPlanner.Plan(snapshots, policy, now);
        }
        catch (ArgumentException e)
        {
            // A snapshot listed twice (the inventory changed under the paging): deleting on a
            // doubtful inventory is never worth it; the next pass sees a settled one.
            throw new BackupException(ExitCodes.RetentionIncomplete,
                $"retention: the inventory of {policy.VolumeId} cannot be planned on, nothing deleted: {e.Message}", e);
        }
    }

    /// <summary>What a real pass would do with <paramref name="plan"/>, for the dry run's list of steps.</summary>
    public static PlannedStep Describe(RetentionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlannedStep(
            $"retention, on today's inventory ({plan.Summary()}):",
            plan.ToDelete.Select(d => $"delete {d.SnapshotId}  {Durations.Utc(d.Snapshot.StartTime)}  {d.Reason}").ToList());
    }

    /// <summary>
    /// A DryRun DeleteSnapshot on the first candidate, to prove the permission without deleting;
    /// null when the plan deletes nothing (there is nothing to prove it on).
    /// </summary>
    public async Task<PermissionProbe?> ProbeAsync(RetentionPlan plan, List<Notice> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.ToDelete.Count == 0)
        {
            return null;
        }

        var first = plan.ToDelete[0].SnapshotId;
        try
        {
            var probe = await store.ProbeDeleteSnapshotAsync(first, cancellationToken);
            var level = probe.Outcome == ProbeOutcome.Allowed ? LogLevel.Info : LogLevel.Error;
            Logger(first).Log(level, "DryRun DeleteSnapshot of {snapshot}: {outcome}", first, probe.Outcome);
            if (probe.Outcome != ProbeOutcome.Allowed)
            {
                notices.Add(Notice.Error($"DryRun DeleteSnapshot of {first}: {probe.Outcome}"));
            }

            return probe;
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw AsRetentionFailure(e, $"cannot probe DeleteSnapshot on {first}");
        }
    }

    /// <summary>Deletes the plan's candidates, oldest first (the plan's order).</summary>
    public async Task<RetentionResult> ExecuteAsync(RetentionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var deleted = new List<RetentionDecision>();
        var gone = new List<RetentionDecision>();
        var inUse = new List<InUseDeletion>();
        var failed = new List<FailedDeletion>();
        var notAttempted = new List<RetentionDecision>();
        var notices = new List<Notice>();
        for (var i = 0; i < plan.ToDelete.Count; i++)
        {
            var decision = plan.ToDelete[i];
            EnsureDeletable(decision);
            var log = Logger(decision.SnapshotId);
            log.Info("deleting {snapshot}: started {start}, {age} old, {ownership}: {reason}",
                decision.SnapshotId, Durations.Utc(decision.Snapshot.StartTime),
                Durations.Exact(plan.Now - decision.Snapshot.StartTime), Lower(decision.Ownership), decision.Reason);

            var (result, error) = await DeleteWithRetryAsync(decision.SnapshotId, cancellationToken);
            switch (result?.Outcome)
            {
                case DeleteOutcome.Deleted:
                    deleted.Add(decision);
                    log.Info("deleted {snapshot}", decision.SnapshotId);
                    continue;
                case DeleteOutcome.AlreadyGone:
                    gone.Add(decision);
                    log.Info("{snapshot} was already gone: {detail}", decision.SnapshotId, result.Detail);
                    continue;
                case DeleteOutcome.InUse:
                    var image = ImageId().Match(result.Detail) is { Success: true } m ? m.Value : null;
                    log.Warn("{snapshot} not deleted: in use by {image}; deregister the image to let retention delete it",
                        decision.SnapshotId, image ?? "an AMI");
                    var unmarked = await RememberInUseAsync(decision.SnapshotId, image, cancellationToken);
                    inUse.Add(new InUseDeletion(decision, image, result.Detail) { NotRemembered = unmarked });
                    notices.Add(Notice.Warning($"{decision.SnapshotId} not deleted: in use by {image ?? "an AMI"}; deregister the image to let retention delete it"
                        + (unmarked is null ? string.Empty : $" (not marked {ToolTags.InUse}, so every run tries it again: {unmarked})")));
                    continue;
            }

            var exitCode = error!.ExitCode == ExitCodes.PermissionDenied ? ExitCodes.PermissionDenied : ExitCodes.RetentionIncomplete;
            failed.Add(new FailedDeletion(decision, (error as Ec2OperationException)?.ErrorCode, exitCode, error.Message));
            log.Error("{snapshot} not deleted: {message}", decision.SnapshotId, error.Message);
            notices.Add(Notice.Error($"{decision.SnapshotId} not deleted: {error.Message}"));
            if (exitCode == ExitCodes.PermissionDenied)
            {
                notAttempted.AddRange(plan.ToDelete.Skip(i + 1));
                if (notAttempted.Count > 0)
                {
                    Logger(null).Error("DeleteSnapshot is denied: the other {count} deletions were not attempted", notAttempted.Count);
                    notices.Add(Notice.Error($"DeleteSnapshot is denied: the other {notAttempted.Count} deletions were not attempted"));
                }

                break;
            }
        }

        var outcome = new RetentionResult(plan.Policy.VolumeId, plan, deleted, gone, inUse, failed, notAttempted)
        {
            ExitCode = failed.Any(f => f.ExitCode == ExitCodes.PermissionDenied) ? ExitCodes.PermissionDenied
                : failed.Count > 0 ? ExitCodes.RetentionIncomplete
                : ExitCodes.Success,
            Problems = Problems(failed, notAttempted),
            Notices = notices,
        };
        Logger(null).Info("{summary}", outcome.Summary());
        return outcome;
    }

    private async Task<(DeleteResult? Result, BackupException? Error)> DeleteWithRetryAsync(
        string snapshotId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await store.DeleteSnapshotAsync(snapshotId, cancellationToken), null);
            }
            catch (Ec2OperationException e) when (!cancellationToken.IsCancellationRequested && e.ErrorCode == ThrottledCode && attempt < _backoff.Count)
            {
                Logger(snapshotId).Info("DeleteSnapshot of {snapshot} throttled (attempt {attempt}); retrying in {delay}",
                    snapshotId, attempt + 1, Durations.Human(_backoff[attempt]));
                await Task.Delay(_backoff[attempt], clock, cancellationToken);
            }
            catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, e);
            }
        }
    }

    // The planner never hands out anything else; this makes "never delete what is not ours" hold
    // even if a caller builds or edits a plan by some other route.
    private static void EnsureDeletable(RetentionDecision decision)
    {
        if (!decision.IsDelete || decision.Ownership == Ownership.Foreign || decision.Snapshot.State != SnapshotState.Completed)
        {
            throw new InvalidOperationException(
                $"retention was asked to delete {decision.SnapshotId} ({decision.Ownership}, {decision.Snapshot.State}, {decision.Action}); refusing");
        }
    }

    /// <summary>
    /// Writes the <see cref="InUseMark"/> after DeleteSnapshot answered InvalidSnapshot.InUse. Failing
    /// to write it (CreateTags denied by an older IAM policy, say) only costs what it cost before the
    /// mark existed, a max_deletes slot next run, so it is a warning and never fails retention.
    /// </summary>
    /// <returns>Null when the mark was written, else what went wrong.</returns>
    private async Task<string?> RememberInUseAsync(string snapshotId, string? imageId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mark = InUseMark.Format(imageId, now);
        try
        {
            await store.TagSnapshotAsync(snapshotId, new Dictionary<string, string> { [ToolTags.InUse] = mark }, cancellationToken);
            Logger(snapshotId).Info("{snapshot} marked {tag} = {mark}: kept without a delete attempt until {until}",
                snapshotId, ToolTags.InUse, mark, Durations.Utc(now + InUseMark.Recheck));
            return null;
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            Logger(snapshotId).Warn("{snapshot}: cannot set {tag}: {message}", snapshotId, ToolTags.InUse, e.Message);
            return e.Message;
        }
    }

    private static List<string> Problems(List<FailedDeletion> failed, List<RetentionDecision> notAttempted)
    {
        var problems = failed.Select(f => $"{f.Decision.SnapshotId} not deleted: {f.Detail}").ToList();
        if (notAttempted.Count > 0)
        {
            problems.Add($"not attempted after the permission was denied: {string.Join(", ", notAttempted.Select(d => d.SnapshotId))}");
        }

        return problems;
    }

    private static BackupException AsRetentionFailure(BackupException e, string what) => new(
        e.ExitCode is ExitCodes.PermissionDenied or ExitCodes.Ec2Unreachable or ExitCodes.BadConfiguration
            ? e.ExitCode
            : ExitCodes.RetentionIncomplete,
        $"retention: {what}: {e.Message}",
        e);

    private static string Lower(Ownership ownership) => ownership.ToString().ToLowerInvariant();

    private static Logger Logger(string? snapshotId)
    {
        var logger = Log.WithProperty("step", "retention");
        return snapshotId is null ? logger : logger.WithProperty("snapshot", snapshotId);
    }

    [GeneratedRegex(@"\bami-[0-9a-zA-Z]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex ImageId();
}
