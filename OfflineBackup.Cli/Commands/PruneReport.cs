using System.Text.Json;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Pipeline;
using OfflineBackup.Retention;

namespace OfflineBackup.Commands;

/// <summary>
/// What <c>prune</c> did (or with --dry-run would do), as one document: the JSON of
/// <c>prune --json</c> and the source of the text summary. Field names are a contract with scripts.
/// </summary>
public sealed record PruneReport(
    string VolumeId,
    bool DryRun,
    int ExitCode,
    string Meaning,
    string? Refused,
    string Summary,
    DeletePermissionReport? DeletePermission,
    IReadOnlyList<string> PlannedDeletions,
    IReadOnlyList<SnapshotRow> Deleted,
    IReadOnlyList<string> AlreadyGone,
    IReadOnlyList<InUseReport> SkippedInUse,
    IReadOnlyList<FailedDeletionReport> Failed,
    IReadOnlyList<string> NotAttempted,
    IReadOnlyDictionary<string, int> Kept,
    IReadOnlyList<string> Problems,
    IReadOnlyList<SnapshotRow> Snapshots)
{
    /// <summary>The lock or journal guard said no: nothing was looked at or deleted.</summary>
    public static PruneReport Refusal(string volumeId, bool dryRun, GuardResult refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Empty(volumeId, dryRun, refusal.ExitCode, $"nothing deleted: {refusal.Detail}") with { Refused = refusal.Detail };
    }

    public static PruneReport FromResult(RetentionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Plan is not { } plan)
        {
            return Empty(result.VolumeId, false, result.ExitCode, result.Summary()) with { Problems = result.Problems };
        }

        return FromPlan(plan, dryRun: false, result.ExitCode, result.Summary()) with
        {
            Deleted = result.Deleted.Select(d => SnapshotRow.From(d, plan.Now)).ToList(),
            AlreadyGone = result.AlreadyGone.Select(d => d.SnapshotId).ToList(),
            SkippedInUse = result.InUse.Select(s => new InUseReport(s.Decision.SnapshotId, s.ImageId, s.Detail)).ToList(),
            Failed = result.Failed.Select(f => new FailedDeletionReport(f.Decision.SnapshotId, f.ErrorCode, f.ExitCode, f.Detail)).ToList(),
            NotAttempted = result.NotAttempted.Select(d => d.SnapshotId).ToList(),
            Problems = result.Problems,
        };
    }

    /// <summary>A dry run: the plan and the DryRun probe's answer (null when nothing was to be deleted).</summary>
    public static PruneReport FromDryRun(RetentionPlan plan, PermissionProbe? probe)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var denied = probe is { Outcome: ProbeOutcome.Denied };
        var exitCode = denied ? ExitCodes.PermissionDenied : ExitCodes.Success;
        var summary = $"dry run, nothing deleted: {plan.Summary()}";
        return FromPlan(plan, dryRun: true, exitCode, summary) with
        {
            DeletePermission = probe is null
                ? new DeletePermissionReport(null, "not_probed", "nothing to delete, so DeleteSnapshot was not probed")
                : new DeletePermissionReport(plan.ToDelete[0].SnapshotId, denied ? "denied" : "allowed", probe.Detail),
            Problems = denied ? [probe!.Detail] : [],
        };
    }

    /// <summary>A dry run whose sweep or probe failed.</summary>
    public static PruneReport DryRunFailed(string volumeId, BackupException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Empty(volumeId, true, error.ExitCode, $"dry run, nothing deleted: {error.Message}") with { Problems = [error.Message] };
    }

    public string ToJson() => JsonSerializer.Serialize(this, SnapshotRow.Json);

    private static PruneReport FromPlan(RetentionPlan plan, bool dryRun, int exitCode, string summary) =>
        Empty(plan.Policy.VolumeId, dryRun, exitCode, summary) with
        {
            PlannedDeletions = plan.ToDelete.Select(d => d.SnapshotId).ToList(),
            Kept = plan.Kept
                .GroupBy(d => d.ReasonCode)
                .OrderBy(g => g.Key)
                .ToDictionary(g => JsonNamingPolicy.SnakeCaseLower.ConvertName(g.Key.ToString()), g => g.Count()),
            Snapshots = SnapshotRow.NewestFirst(plan),
        };

    private static PruneReport Empty(string volumeId, bool dryRun, int exitCode, string summary) => new(
        volumeId, dryRun, exitCode, ExitCodes.Describe(exitCode), null, summary, null, [], [], [], [], [], [],
        new Dictionary<string, int>(), [], []);
}

/// <summary>The DryRun DeleteSnapshot probe of <c>prune --dry-run</c>: allowed, denied or not_probed.</summary>
public sealed record DeletePermissionReport(string? SnapshotId, string Outcome, string Detail);

public sealed record InUseReport(string SnapshotId, string? ImageId, string Detail);

public sealed record FailedDeletionReport(string SnapshotId, string? ErrorCode, int ExitCode, string Detail);
