using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Service;
using OfflineBackup.Tests.Support;

namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// One test's world for whole runs: the shared real MariaDB pair (reset to healthy), a fresh EC2
/// double on loopback, and a CLI harness whose config points the tool at both, with the
/// fixture's real stop and start commands.
/// </summary>
internal sealed class RunWorld : IAsyncDisposable
{
    private RunWorld(MariaDbReplicationPair pair, Ec2Double ec2, CliHarness cli)
    {
        Pair = pair;
        Ec2 = ec2;
        Cli = cli;
    }

    public MariaDbReplicationPair Pair { get; }

    public Ec2Double Ec2 { get; }

    public CliHarness Cli { get; }

    /// <summary>Whether the replica's port was closed each time a real CreateSnapshot arrived.</summary>
    public List<bool> PortClosedAtCreate { get; } = [];

    public static async Task<RunWorld> CreateAsync(MariaDbReplicationPair pair, Func<TestConfig, TestConfig>? configure = null)
    {
        await pair.ResetToHealthyAsync(CancellationToken.None);
        var ec2 = await Ec2Double.StartAsync();
        ec2.AddVolume(TestSettings.VolumeId, sizeGiB: 200);
        var cli = new CliHarness(new TestAdapters());
        var world = new RunWorld(pair, ec2, cli);

        // The reset leaves the IO thread possibly still "Connecting" (caught up, nothing to fetch):
        // a run started then would find replication stopped and exit 6. Seen under load.
        if (!await world.ReplicationRunsAsync())
        {
            throw new InvalidOperationException("replication did not come back after the pair's reset");
        }

        ec2.OnCreateSnapshot = async (_, token) =>
        {
            var open = await TcpProbe.AcceptsConnectionsAsync(pair.Replica.Host, pair.Replica.Port, token);
            lock (world.PortClosedAtCreate)
            {
                world.PortClosedAtCreate.Add(!open);
            }
        };
        var config = new TestConfig(
            pair.Replica.Port,
            MariaDbReplicationPair.MonitorUser,
            MariaDbReplicationPair.MonitorPassword,
            ec2.ServiceUrl,
            StopCommand: ServiceCommands.Stop(pair.Replica),
            StartCommand: ServiceCommands.Start(pair.Replica),
            PidFile: pair.ReplicaPidFile);
        cli.WriteConfig(configure is null ? config : configure(config));
        return world;
    }

    public void Rewrite(Func<TestConfig, TestConfig> configure) =>
        Cli.WriteConfig(configure(new TestConfig(
            Pair.Replica.Port,
            MariaDbReplicationPair.MonitorUser,
            MariaDbReplicationPair.MonitorPassword,
            Ec2.ServiceUrl,
            StopCommand: ServiceCommands.Stop(Pair.Replica),
            StartCommand: ServiceCommands.Start(Pair.Replica),
            PidFile: Pair.ReplicaPidFile)));

    /// <summary>Points the config at a user who may read replication status but not stop or start it.</summary>
    public async Task UseUserWithoutReplicationAdminAsync()
    {
        await Pair.Replica.ExecuteAsync(
            "CREATE USER IF NOT EXISTS 'watcher'@'%' IDENTIFIED BY 'Watcher-Pw-1'; GRANT SLAVE MONITOR ON *.* TO 'watcher'@'%'",
            CancellationToken.None);
        Rewrite(c => c with { MySqlUser = "watcher", MySqlPassword = "Watcher-Pw-1" });
    }

    /// <summary>Both replication threads run on the replica (polling briefly: they may be connecting).</summary>
    public async Task<bool> ReplicationRunsAsync()
    {
        for (var i = 0; i < 50; i++)
        {
            var status = await Pair.ReplicaStatusAsync(CancellationToken.None);
            if (status is not null && (string?)status["Slave_IO_Running"] == "Yes" && (string?)status["Slave_SQL_Running"] == "Yes")
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        Cli.Dispose();
        await Ec2.DisposeAsync();
    }
}
