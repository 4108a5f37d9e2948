namespace OfflineBackup.Drill;

/// <summary>One phase of a drill and how long it took; Detail says what it made or why it failed.</summary>
public sealed record DrillStep(string Name, TimeSpan Duration, bool Succeeded, string Detail);

/// <summary>One check on the restored server.</summary>
public sealed record DrillCheck(string Name, bool Passed, string Detail);

/// <summary>What a drill did and found; the snapshot is tagged with its result.</summary>
public sealed record DrillReport(
    string RunId,
    string SnapshotId,
    string? VolumeId,
    DateTimeOffset StartedAt,
    TimeSpan? RestoreTime,
    IReadOnlyList<DrillStep> Steps,
    IReadOnlyList<DrillCheck> Checks,
    IReadOnlyList<string> CleanupProblems,
    int ExitCode,
    string? Failure)
{
    public bool Passed => ExitCode == 0;

    /// <summary>The first check that failed, or the step that stopped the drill, for the one-line summary.</summary>
    public string Result => Passed ? "passed" : $"failed: {Failure}";
}
