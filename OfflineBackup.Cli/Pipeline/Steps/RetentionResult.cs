using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Retention;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>A deletion EC2 refused because an AMI is built on the snapshot; retention cannot fix that.</summary>
public sealed record InUseDeletion(RetentionDecision Decision, string? ImageId, string Detail)
{
    /// <summary>Why the offline-backup:in-use tag could not be set (so the next run tries again); null when it was.</summary>
    public string? NotRemembered { get; init; }
}

/// <summary>A deletion that failed after every retry; the snapshot is still there.</summary>
public sealed record FailedDeletion(RetentionDecision Decision, string? ErrorCode, int ExitCode, string Detail);

/// <summary>
/// What one retention pass did. <see cref="Plan"/> is null only when the inventory could not
/// be read, in which case nothing was deleted and <see cref="Problems"/> says why.
/// </summary>
public sealed record RetentionResult(
    string VolumeId,
    RetentionPlan? Plan,
    IReadOnlyList<RetentionDecision> Deleted,
    IReadOnlyList<RetentionDecision> AlreadyGone,
    IReadOnlyList<InUseDeletion> InUse,
    IReadOnlyList<FailedDeletion> Failed,
    IReadOnlyList<RetentionDecision> NotAttempted)
{
    /// <summary>11 when a permission was denied, 10 when a deletion (or the sweep) failed, else 0. In-use snapshots do not count.</summary>
    public int ExitCode { get; init; } = ExitCodes.Success;

    /// <summary>One line per thing a person must look at, each naming the snapshot.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>What the pass has to tell a person, in the order it happened (warnings and errors).</summary>
    public IReadOnlyList<Notice> Notices { get; init; } = [];

    /// <summary>Warnings that do not change the exit code: snapshots held by an AMI.</summary>
    public IReadOnlyList<string> Warnings => InUse
        .Select(s => $"{s.Decision.SnapshotId} not deleted: in use by {s.ImageId ?? "an AMI"}; deregister the image to let retention delete it"
            + (s.NotRemembered is null ? string.Empty : $" (not marked {ToolTags.InUse}, so every run tries it again: {s.NotRemembered})"))
        .ToList();

    public static RetentionResult SweepFailed(string volumeId, int exitCode, string problem) =>
        new(volumeId, null, [], [], [], [], []) { ExitCode = exitCode, Problems = [problem], Notices = [Notice.Error(problem)] };

    /// <summary>One line for the log and the person, e.g. "retention of vol-1: deleted 3 of 3 planned; 0 in use, 0 failed; kept 12".</summary>
    public string Summary()
    {
        if (Plan is null)
        {
            return $"retention of {VolumeId}: nothing deleted: {string.Join("; ", Problems)}";
        }

        var gone = AlreadyGone.Count == 0 ? string.Empty : $" ({AlreadyGone.Count} already gone)";
        var stopped = NotAttempted.Count == 0 ? string.Empty : $", {NotAttempted.Count} not attempted";
        return $"retention of {VolumeId}: deleted {Deleted.Count + AlreadyGone.Count} of {Plan.DeleteCount} planned{gone}; "
            + $"{InUse.Count} in use, {Failed.Count} failed{stopped}; kept {Plan.KeepCount} "
            + $"({Plan.DeferredCount} deferred by max_deletes)";
    }
}
