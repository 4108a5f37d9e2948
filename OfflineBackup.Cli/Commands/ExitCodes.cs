namespace OfflineBackup.Commands;

/// <summary>
/// Every exit code the tool returns. The README's table is written from this class; keep the
/// two in step. A DBA's cron mail and monitoring key off these numbers, so never renumber.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int InternalError = 1;
    public const int BadConfiguration = 2;
    public const int Locked = 3;
    public const int NotDue = 4;
    public const int SnapshotPending = 5;
    public const int ReplicaUnhealthy = 6;
    public const int StopTimedOut = 7;
    public const int SnapshotFailed = 8;
    public const int StartFailed = 9;
    public const int RetentionIncomplete = 10;
    public const int PermissionDenied = 11;
    public const int InterruptedRunPending = 12;
    public const int Interrupted = 130;
    public const int Terminated = 143;
}
