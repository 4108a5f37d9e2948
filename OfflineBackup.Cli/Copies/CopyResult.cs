using OfflineBackup.Errors;
using OfflineBackup.Pipeline.Steps;

namespace OfflineBackup.Copies;

/// <summary>
/// What one copy pass did: the copies it started, those still on their way, and what a person
/// must hear. A snapshot without a completed copy is a warning while it is younger than a day and
/// a problem (exit 13) after that; a denied permission is a problem at once (exit 11).
/// </summary>
public sealed record CopyResult(
    string Region,
    IReadOnlyList<(string Source, string Copy)> Started,
    IReadOnlyList<(string Source, string Copy)> Pending,
    int Completed,
    RetentionResult? Retention)
{
    public int ExitCode { get; init; } = ExitCodes.Success;

    public IReadOnlyList<string> Problems { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static CopyResult SweepFailed(string region, int exitCode, string problem) =>
        new(region, [], [], 0, null) { ExitCode = exitCode, Problems = [problem] };

    /// <summary>e.g. "copies in eu-central-1: 1 started, 0 pending, 6 completed; copy retention deleted 1".</summary>
    public string Summary() =>
        $"copies in {Region}: {Started.Count} started, {Pending.Count} pending, {Completed} completed"
        + (Retention is null ? string.Empty : $"; copy retention deleted {Retention.Deleted.Count + Retention.AlreadyGone.Count}");
}
