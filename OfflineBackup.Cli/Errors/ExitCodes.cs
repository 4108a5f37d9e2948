namespace OfflineBackup.Errors;

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
    public const int Ec2Unreachable = 13;
    public const int JournalFailed = 14;
    public const int DrillFailed = 15;
    public const int CopyIncomplete = 16;
    public const int RestoreFailed = 17;
    public const int Interrupted = 130;
    public const int Terminated = 143;

    /// <summary>The README's wording of each code, for messages and JSON.</summary>
    public static string Describe(int code) => code switch
    {
        Success => "success",
        InternalError => "unexpected internal error (a bug; details in the log)",
        BadConfiguration => "bad arguments or configuration; nothing was touched",
        Locked => "another run holds the lock",
        NotDue => "not due: the newest completed snapshot is younger than the minimum age",
        SnapshotPending => "a snapshot of the volume is still pending",
        ReplicaUnhealthy => "replica unhealthy: unreachable, writable, not a replica, replication stopped, or lag above the limit",
        StopTimedOut => "MySQL did not stop in time or not cleanly (online mode: the backup lock was not granted in time); no snapshot taken; MySQL running",
        SnapshotFailed => "the snapshot could not be created or ended in error; MySQL running",
        StartFailed => "MySQL could not be started again: the database is DOWN",
        RetentionIncomplete => "retention could not delete some expired snapshots",
        PermissionDenied => "AWS credentials missing, or an AWS permission or MySQL privilege denied",
        InterruptedRunPending => "an interrupted earlier run must be recovered: run `offline-backup run`",
        Ec2Unreachable => "EC2 unreachable: the endpoint refused, did not answer in time, or failed TLS; MySQL running",
        JournalFailed => "the state journal cannot be read or written; MySQL running",
        CopyIncomplete => "a snapshot older than a day still has no completed copy in the copy region",
        DrillFailed => "restore drill failed: the snapshot did not restore or a check failed; everything it made was removed",
        RestoreFailed => "restore failed: the volume could not be created, attached or found as a device",
        Interrupted => "interrupted by SIGINT",
        Terminated => "interrupted by SIGTERM",
        _ => "unknown exit code",
    };
}
