namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// The steps after the guards, one way or the other: <see cref="BackupRun"/> stops MySQL,
/// <see cref="OnlineBackupRun"/> keeps it running. consistency.mode picks one in the composition root.
/// </summary>
public interface IBackupRun
{
    /// <summary>The steps the run takes, in its order: what <c>run --dry-run</c> prints.</summary>
    IReadOnlyList<PlannedStep> Describe(DateTimeOffset now);

    /// <summary>Runs the steps. <paramref name="interruptedExitCode"/> tells which signal cancelled the token.</summary>
    Task<RunReport> ExecuteAsync(Func<int> interruptedExitCode, CancellationToken cancellationToken);
}
