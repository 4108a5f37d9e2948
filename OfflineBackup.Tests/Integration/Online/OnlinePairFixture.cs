using System.Globalization;
using OfflineBackup.Configuration;
using OfflineBackup.Drill;
using OfflineBackup.Sandbox.Disks;

namespace OfflineBackup.Tests.Integration.Online;

/// <summary>
/// A real MariaDB pair whose replica keeps its data directory and relay logs on a loop-mounted
/// ext4 volume; each test's <see cref="ToolWorld"/> makes that image the EC2 double's EBS volume,
/// so a snapshot is a copy of the live replica's disk at the instant CreateSnapshot arrives. The
/// tool connects as 'online', which has stop mode's grants plus online mode's (RELOAD, PROCESS).
/// </summary>
public sealed class OnlinePairFixture() : PairFixture(OnVolume)
{
    public const string User = "online";
    public const string Password = "Online-Pw-5521";

    protected override Task StartedAsync(MariaDbReplicationPair pair) =>
        pair.Replica.ExecuteAsync(
            $"CREATE USER IF NOT EXISTS '{User}'@'%' IDENTIFIED BY '{Password}'; "
            + $"GRANT {MariaDbReplicationPair.MonitorGrants}, RELOAD, PROCESS ON *.* TO '{User}'@'%'",
            CancellationToken.None);

    /// <summary>A fresh world (EC2 double over the volume, the tool's files) in online mode, the pair reset to healthy.</summary>
    public async Task<ToolWorld> WorldAsync(Func<ConsistencyConfig, ConsistencyConfig>? consistency = null, Func<ToolConfig, ToolConfig>? more = null)
    {
        await Pair.ResetToHealthyAsync(CancellationToken.None);
        var section = new ConsistencyConfig { Mode = "online", MaxBlockSeconds = 30 };
        var world = await ToolWorld.StartAsync(
            new ToolWorldOptions
            {
                Pair = Pair,
                Configure = (config, _) => (more ?? (c => c))(TestConfig.Quick(config) with
                {
                    MySqlUser = User,
                    MySqlPassword = Password,
                    DeviceDirectory = Pair.Disks!.ByIdDirectory,
                    Consistency = consistency is null ? section : consistency(section),
                }),
            },
            CancellationToken.None);
        if (!await world.ReplicationRunsAsync())
        {
            await world.DisposeAsync();
            throw new InvalidOperationException("replication did not come back after the pair's reset");
        }

        return world;
    }

    /// <summary>The replica's mariadbd: its pid and its uptime in seconds.</summary>
    public async Task<(int? Pid, long Uptime)> ReplicaProcessAsync()
    {
        var rows = await Pair.Replica.QueryAsync("SHOW GLOBAL STATUS LIKE 'Uptime'", CancellationToken.None);
        return (Pair.Replica.ReadPid(), Convert.ToInt64(rows[0]["Value"], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Starts a throwaway mariadbd on a snapshot's image (mounted under <paramref name="scratch"/>),
    /// as a drill does, and hands an open connection to <paramref name="look"/>; everything is
    /// stopped and unmounted afterwards whatever happens.
    /// </summary>
    public async Task<T> OnSnapshotImageAsync<T>(ToolWorld world, string snapshotId, string scratch, Func<global::MySql.Data.MySqlClient.MySqlConnection, string, Task<T>> look)
    {
        var image = Pair.Disks!.PathOf(world.Ec2.SnapshotImage(snapshotId)!.To);
        var layout = new ScratchLayout(scratch);
        Directory.CreateDirectory(layout.MountPoint);
        await KernelDisks.MountAsync(image, layout.MountPoint, ["-o", "loop"], CancellationToken.None);
        try
        {
            var dataDirectory = Path.Combine(layout.MountPoint, "data");
            var settings = DrillSettings.Default with { ScratchDirectory = scratch, BufferPoolSize = "16M" };
            var server = ScratchServer.Start(settings, layout, dataDirectory);
            try
            {
                await server.WaitUntilAnsweringAsync(TimeProvider.System, TimeSpan.FromMinutes(2), CancellationToken.None);
                await using var connection = await server.OpenAsync(CancellationToken.None);
                return await look(connection, dataDirectory);
            }
            finally
            {
                await server.StopAsync(TimeProvider.System);
            }
        }
        finally
        {
            await KernelDisks.UnmountAsync(layout.MountPoint, CancellationToken.None);
        }
    }

    /// <summary>A table on the replica only, for commits of the tests' own; made before any block (DDL waits under BLOCK_COMMIT too).</summary>
    public Task PrepareProbeTableAsync() => Pair.Replica.ExecuteAsync(
        "CREATE DATABASE IF NOT EXISTS online_probe; CREATE TABLE IF NOT EXISTS online_probe.commits (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB",
        CancellationToken.None);

    /// <summary>Whether a commit on the replica (root, the probe table) finishes within <paramref name="limit"/>; a waiting one finishes by itself later.</summary>
    public async Task<bool> ReplicaCommitsWithinAsync(TimeSpan limit)
    {
        var replica = Pair.Replica;
        var connection = new global::MySql.Data.MySqlClient.MySqlConnection(replica.ConnectionString(replica.RootUser, replica.RootPassword));
        await connection.OpenAsync();
        var command = new global::MySql.Data.MySqlClient.MySqlCommand("INSERT INTO online_probe.commits VALUES ()", connection);
        var insert = command.ExecuteNonQueryAsync();
        var finished = await Task.WhenAny(insert, Task.Delay(limit)) == insert;
        _ = insert.ContinueWith(
            _ =>
            {
                command.Dispose();
                connection.Dispose();
            },
            TaskScheduler.Default);
        if (finished)
        {
            await insert;
        }

        return finished;
    }
}

[CollectionDefinition(Name)]
public sealed class OnlinePairCollection : ICollectionFixture<OnlinePairFixture>
{
    public const string Name = "MariaDB pair, replica on a real volume, for online mode";
}
