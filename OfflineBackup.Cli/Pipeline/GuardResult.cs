using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline;

/// <summary>
/// What one guard decided. <see cref="Detail"/> is written for a DBA: it says what was measured
/// (lag, snapshot id and age, lock holder) or what to do about a refusal.
/// </summary>
public sealed record GuardResult(
    string Guard,
    bool Passed,
    string Detail,
    int ExitCode,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The replication lag the replica guard measured (the largest over the channels), when every channel had one.</summary>
    public TimeSpan? ReplicaLag { get; init; }

    public static GuardResult Pass(string guard, string detail, IReadOnlyList<string>? warnings = null) =>
        new(guard, true, detail, ExitCodes.Success, warnings ?? []);

    public static GuardResult Refuse(string guard, int exitCode, string detail, IReadOnlyList<string>? warnings = null) =>
        new(guard, false, detail, exitCode, warnings ?? []);
}
