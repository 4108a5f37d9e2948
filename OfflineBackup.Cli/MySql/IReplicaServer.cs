namespace OfflineBackup.MySql;

/// <summary>
/// The MySQL side of the tool: one replica, reached over the network with the configured user.
/// The real implementation is <see cref="MySqlReplicaServer"/>, tested against MariaDB.
/// Errors: an unreachable server or a refused login throw BackupException with exit 6, a
/// missing privilege exit 11 with the GRANT that fixes it; messages never contain the password.
/// </summary>
public interface IReplicaServer
{
    /// <summary>Version, @@read_only and every replication channel.</summary>
    Task<ServerState> ReadStateAsync(CancellationToken cancellationToken);

    /// <summary>Privileges that <c>run</c> needs and the user lacks; empty when all is well.</summary>
    Task<IReadOnlyList<MissingPrivilege>> FindMissingPrivilegesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The state and the missing privileges together, as the guards read them. The MySql.Data
    /// adapter does it over one connection; the default reads them one after the other.
    /// </summary>
    Task<ReplicaInspection> InspectAsync(CancellationToken cancellationToken) =>
        ReplicaInspection.ReadSeparatelyAsync(this, cancellationToken);

    /// <summary>
    /// @@datadir as the server reports it: a path on the server's host, which is this one only
    /// when the tool runs beside it. Empty when the server does not say.
    /// </summary>
    Task<string> ReadDataDirectoryAsync(CancellationToken cancellationToken) => Task.FromResult(string.Empty);

    /// <summary>STOP REPLICA (STOP SLAVE where the server lacks it) on every channel.</summary>
    Task StopReplicationAsync(CancellationToken cancellationToken);

    /// <summary>START REPLICA (START SLAVE) on the named channels; all when the list is empty.</summary>
    Task StartReplicationAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken);

    /// <summary>
    /// True when the server accepts a connection and answers a query; false when it cannot be
    /// reached within the connect timeout. A refused login throws: waiting will not fix it.
    /// </summary>
    Task<bool> IsUpAsync(CancellationToken cancellationToken);
}
