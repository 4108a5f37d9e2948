namespace OfflineBackup.MySql;

/// <summary>
/// What online mode asks of the replica beyond <see cref="IReplicaServer"/>: where the server
/// keeps its files (for the preflight), and a block on commits held by one session while a
/// second one watches it. The real implementation is <see cref="MySqlOnlineReplica"/>, tested
/// against MariaDB.
/// </summary>
public interface IOnlineReplica
{
    /// <summary>The server's own paths, its replication-safety settings and the online grants it lacks.</summary>
    Task<ServerLayout> ReadLayoutAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Blocks commits (<see cref="BackupLockStatements"/>), or throws: not granted within
    /// <paramref name="maxBlock"/> → BackupException exit 7 naming the query in the way, after
    /// the waiting statement was killed and nothing is held any longer. Once granted, the lock
    /// is released by the watchdog session at <paramref name="maxBlock"/> after the grant if the
    /// caller has not released it by then.
    /// </summary>
    Task<IBackupLock> BlockCommitsAsync(TimeSpan maxBlock, CancellationToken cancellationToken);
}

/// <summary>A granted block on commits. Dispose releases it too (by closing its session), whatever state it is in.</summary>
public interface IBackupLock : IAsyncDisposable
{
    /// <summary>The statement that blocks: BACKUP STAGE BLOCK_COMMIT, LOCK INSTANCE FOR BACKUP, FLUSH TABLES WITH READ LOCK.</summary>
    string Method { get; }

    /// <summary>Where the stopped applier stands, as the position tag spells it ("gtid:0-1-42", "file:NAME:POS"), and its source's host.</summary>
    Task<RecordedPosition> ReadPositionAsync(CancellationToken cancellationToken);

    /// <summary>Releases the block (BACKUP STAGE END, UNLOCK INSTANCE, UNLOCK TABLES); on failure the session is killed, which releases it too.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);

    /// <summary>True once the watchdog had to end the session because the block outlived its limit.</summary>
    bool ReleasedByWatchdog { get; }
}

/// <summary>
/// Where the server keeps what a restored copy needs, each path absolute (relative settings
/// resolved against the data directory, empty ones meaning the data directory itself).
/// </summary>
public sealed record ServerLayout(
    ServerFlavor Flavor,
    string DataDirectory,
    IReadOnlyList<ServerPath> Paths,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<MissingPrivilege> MissingPrivileges);

/// <summary>One path the server reported: the variable's name and the directory it resolves to.</summary>
public sealed record ServerPath(string Variable, string Directory);

/// <summary>The replica's position under the backup lock: <see cref="Tag"/> as the position tag spells it.</summary>
public sealed record RecordedPosition(string Tag, string? SourceHost);
