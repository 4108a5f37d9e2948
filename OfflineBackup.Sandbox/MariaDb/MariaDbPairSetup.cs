using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Sandbox.Disks;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Builds a primary and a replica: copies of the installed template, first start, accounts, then
/// GTID replication. Local accounts (root, the replication login) are created with
/// sql_log_bin=0 so that they never replicate; the monitor account and the sandbox schema are
/// created on the primary and reach the replica through replication, as on a real pair.
/// </summary>
internal static class MariaDbPairSetup
{
    internal const string ReplicationUser = "repl";
    private const int MaxPortAttempts = 3;

    public static async Task<(MariaDbServer Primary, MariaDbServer Replica, DataVolume? Volume)> CreateAsync(
        string root, MariaDbPairOptions options, CancellationToken cancellationToken)
    {
        var rootPassword = "root-" + Guid.NewGuid().ToString("N")[..16];
        DataVolume? volume = null;
        if (options.ReplicaVolume is { } volumeOptions)
        {
            var store = await DiskStore.OpenAsync(Path.Combine(root, "disks"), volumeOptions.Mode, cancellationToken);
            volume = await DataVolume.CreateAsync(store, volumeOptions, Path.Combine(root, "replica", "volume"), cancellationToken);
        }

        var primary = NewServer("primary", MariaDbRole.Primary, 1, root, rootPassword, skipSlaveStart: false, null, options.PrimarySizing);
        var replica = NewServer("replica", MariaDbRole.Replica, 2, root, rootPassword, options.ReplicaSkipSlaveStart, volume?.MountPoint, options.ReplicaSizing);

        var template = await MariaDbTemplate.GetDataDirectoryAsync(cancellationToken);
        foreach (var server in new[] { primary, replica })
        {
            await server.Config.WriteAsync(cancellationToken);
            MariaDbTemplate.CopyTo(template, server.Config.DataDirectory);
        }

        if (volume is not null)
        {
            // The installed files reach the volume's device now, as on a server installed long
            // ago: a snapshot holds what the device holds, not what sits in the page cache.
            await KernelDisks.RunAsync("sync", ["--file-system", replica.Config.DataDirectory], cancellationToken);
        }

        await Task.WhenAll(
            FirstStartAsync(primary, cancellationToken),
            FirstStartAsync(replica, cancellationToken));

        var replicationPassword = "repl-" + Guid.NewGuid().ToString("N")[..16];
        await primary.ExecuteAsync(
            "SET sql_log_bin=0; " +
            $"CREATE USER '{ReplicationUser}'@'127.0.0.1' IDENTIFIED BY '{replicationPassword}'; " +
            $"GRANT REPLICATION SLAVE ON *.* TO '{ReplicationUser}'@'127.0.0.1';",
            cancellationToken);
        await replica.ExecuteAsync(
            "CHANGE MASTER TO " +
            string.Create(CultureInfo.InvariantCulture, $"MASTER_HOST='{primary.Host}', MASTER_PORT={primary.Port}, ") +
            $"MASTER_USER='{ReplicationUser}', MASTER_PASSWORD='{replicationPassword}', " +
            "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;",
            cancellationToken);

        await primary.ExecuteAsync(
            $"CREATE USER '{MariaDbReplicationPair.MonitorUser}'@'127.0.0.1' IDENTIFIED BY '{MariaDbReplicationPair.MonitorPassword}'; " +
            $"GRANT {MariaDbReplicationPair.MonitorGrants} ON *.* TO '{MariaDbReplicationPair.MonitorUser}'@'127.0.0.1'; " +
            $"CREATE DATABASE {MariaDbReplicationPair.SandboxDatabase}; " +
            $"CREATE TABLE {MariaDbReplicationPair.WritesTable} (" +
            "id BIGINT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200) NOT NULL, " +
            "written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)); " +
            $"CREATE TABLE {MariaDbReplicationPair.ConflictsTable} (id BIGINT PRIMARY KEY);",
            cancellationToken);
        return (primary, replica, volume);
    }

    private static MariaDbServer NewServer(
        string name, MariaDbRole role, int serverId, string root, string rootPassword, bool skipSlaveStart, string? volumeDirectory, InnoDbSizing sizing)
    {
        var directory = Path.Combine(root, name);
        var config = new MariaDbConfigFile(role, serverId, FreePort.Pick(), directory, skipSlaveStart, volumeDirectory, sizing);
        Directory.CreateDirectory(config.DataDirectory);
        return new MariaDbServer(name, config, rootPassword);
    }

    private static async Task FirstStartAsync(MariaDbServer server, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await server.StartAsync(cancellationToken);
                break;
            }
            catch (MariaDbStartException e) when (e.PortInUse && attempt < MaxPortAttempts)
            {
                // Someone took the port between FreePort.Pick and the bind: take another.
                await server.RewriteConfigAsync(server.Config with { Port = FreePort.Pick() }, cancellationToken);
            }
        }

        await SecureRootAsync(server, cancellationToken);
    }

    /// <summary>install-db leaves root without a password; give it one, on this server only.</summary>
    private static async Task SecureRootAsync(MariaDbServer server, CancellationToken cancellationToken)
    {
        // Right after mariadb-install-db, root has no password.
        await server.RunAsRootAsync(
            string.Empty,
            connection =>
            {
                var hosts = new List<string>();
                using (var list = new MySqlCommand("SELECT Host FROM mysql.user WHERE User = 'root'", connection))
                using (var reader = list.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        hosts.Add(reader.GetString(0));
                    }
                }

                var sql = "SET sql_log_bin=0; ";
                foreach (var host in hosts)
                {
                    sql += host is "localhost" or "127.0.0.1"
                        ? $"ALTER USER 'root'@'{host}' IDENTIFIED BY '{server.RootPassword}'; "
                        : $"DROP USER 'root'@'{host}'; ";
                }

                using var secure = new MySqlCommand(sql, connection);
                return secure.ExecuteNonQuery();
            },
            cancellationToken);
    }
}
