namespace OfflineBackup.MySql;

/// <summary>
/// One replication channel as SHOW REPLICA STATUS / SHOW ALL SLAVES STATUS reports it, with the
/// column naming of the server already resolved (Source/Replica on MySQL 8.0.22+, Master/Slave on
/// MariaDB and older MySQL). <see cref="SecondsBehind"/> is null when the server reports NULL,
/// which means replication is broken, never "no lag".
/// </summary>
public sealed record ReplicaChannel(
    string Name,
    bool IoRunning,
    bool SqlRunning,
    long? SecondsBehind,
    int OpenTempTables,
    string LastIoError,
    string LastSqlError);

/// <summary>What the replica guard and the stop step need to know about the server.</summary>
public sealed record ServerState(
    string Version,
    bool ReadOnly,
    IReadOnlyList<ReplicaChannel> Channels)
{
    public bool IsReplica => Channels.Count > 0;

    public bool IsMariaDb => Version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A privilege the MySQL user lacks, and the statement that grants it.</summary>
public sealed record MissingPrivilege(string Privilege, string NeededFor, string GrantStatement);
