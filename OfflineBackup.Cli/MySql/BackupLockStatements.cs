using System.Globalization;

namespace OfflineBackup.MySql;

/// <summary>
/// How one server flavour blocks commits (not reads) for an online snapshot, releases that
/// block, and says where its replication stands. MariaDB 10.4+ has backup stages: BLOCK_COMMIT
/// stops every commit while queries go on. MySQL 8.0+ has the backup lock (DDL blocked) and reads
/// the coordinates consistently from performance_schema.log_status. Anything older falls back to
/// FLUSH TABLES WITH READ LOCK, the global read lock, with a short lock_wait_timeout so that it
/// cannot queue behind a long query and stall the server meanwhile.
/// </summary>
public sealed record BackupLockStatements(
    string Method,
    IReadOnlyList<string> Acquire,
    IReadOnlyList<string> Release,
    string PositionQuery)
{
    /// <summary>The wait the older servers' FTWRL may spend behind a running query: it blocks every other statement meanwhile.</summary>
    public static readonly TimeSpan GlobalReadLockWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Once no commit can happen: the redo log to disk. With innodb_flush_log_at_trx_commit=0 or 2
    /// a committed transaction (and its mysql.gtid_slave_pos row) may still sit in the OS cache,
    /// and a block device snapshot would hold less than the recorded position says (the
    /// integration test saw exactly that); xtrabackup does the same after its lock.
    /// </summary>
    public const string FlushRedo = "FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS";

    /// <summary>SET SESSION lock_wait_timeout before <see cref="Acquire"/>: the server's own bound, should the watchdog be gone too.</summary>
    public string SessionSetup { get; init; } = string.Empty;

    public static BackupLockStatements For(ServerFlavor flavor, TimeSpan maxBlock)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        var wait = Math.Max(1, (int)Math.Ceiling(maxBlock.TotalSeconds));
        if (flavor.IsMariaDb && flavor.Version >= new Version(10, 4))
        {
            return new BackupLockStatements(
                "BACKUP STAGE BLOCK_COMMIT",
                ["BACKUP STAGE START", "BACKUP STAGE BLOCK_COMMIT", FlushRedo],
                ["BACKUP STAGE END"],
                "SELECT @@GLOBAL.gtid_slave_pos AS gtid")
            {
                SessionSetup = LockWait(wait),
            };
        }

        if (!flavor.IsMariaDb && flavor.Version >= new Version(8, 0))
        {
            return new BackupLockStatements(
                "LOCK INSTANCE FOR BACKUP",
                ["LOCK INSTANCE FOR BACKUP", FlushRedo],
                ["UNLOCK INSTANCE"],
                "SELECT JSON_UNQUOTE(JSON_EXTRACT(LOCAL, '$.gtid_executed')) AS gtid FROM performance_schema.log_status")
            {
                SessionSetup = LockWait(wait),
            };
        }

        return new BackupLockStatements(
            "FLUSH TABLES WITH READ LOCK",
            ["FLUSH TABLES WITH READ LOCK", FlushRedo],
            ["UNLOCK TABLES"],
            flavor.IsMariaDb ? "SELECT @@GLOBAL.gtid_slave_pos AS gtid" : "SELECT @@GLOBAL.gtid_executed AS gtid")
        {
            SessionSetup = LockWait(Math.Min(wait, (int)GlobalReadLockWait.TotalSeconds)),
        };
    }

    private static string LockWait(int seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"SET SESSION lock_wait_timeout = {seconds}");
}
