namespace OfflineBackup.Pipeline.Steps;

/// <summary>What a run did, for the one summary line and the log.</summary>
public sealed record RunReport(
    int ExitCode,
    string? SnapshotId,
    TimeSpan? MySqlDownFor,
    TimeSpan? SnapshotTook,
    string Summary,
    IReadOnlyList<string> Problems)
{
    /// <summary>Where the time went; see <see cref="RunTimings"/>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Timings { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Warnings and errors on the way, in order, for the command to print.</summary>
    public IReadOnlyList<Notice> Notices { get; init; } = [];
}
