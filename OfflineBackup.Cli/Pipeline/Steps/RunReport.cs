namespace OfflineBackup.Pipeline.Steps;

/// <summary>What a run did, for the one summary line and the log.</summary>
public sealed record RunReport(
    int ExitCode,
    string? SnapshotId,
    TimeSpan? MySqlDownFor,
    TimeSpan? SnapshotTook,
    string Summary,
    IReadOnlyList<string> Problems);
