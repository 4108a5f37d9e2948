using MySql.Data.MySqlClient;

namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>
/// A real MariaDB pair whose replica keeps its data on a loop-mounted volume that is the EC2
/// double's EBS volume, as in the sandbox: a snapshot copies the real image, and a volume made
/// from it is a real loop device. Shared by the drill and restore classes of one collection.
/// </summary>
public sealed class VolumePairFixture() : PairFixture(OnVolume)
{
    public const string Instance = "i-0123456789abcdef0";
    public const string Zone = "us-east-1a";

    private Ec2Double? _ec2;

    public Ec2Double Ec2 => _ec2 ?? throw new InvalidOperationException("not started");

    public DiskStore Disks => Pair.Disks!;

    /// <summary>
    /// A connection (not yet opened) as root, over its socket, to a throwaway server started on a
    /// copy of the replica's data: the copy's root is the replica's.
    /// </summary>
    public MySqlConnection CopyRootConnection(string socket, uint connectTimeoutSeconds = 15) =>
        new(new MySqlConnectionStringBuilder
        {
            Server = socket,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = "root",
            Password = Pair.Replica.RootPassword,
            Pooling = false,
            SslMode = MySqlSslMode.Disabled,
            ConnectionTimeout = connectTimeoutSeconds,
        }.ConnectionString);

    protected override async Task StartedAsync(MariaDbReplicationPair pair)
    {
        _ec2 = await Ec2Double.StartAsync(new Ec2DoubleOptions { Disks = pair.Disks });
        _ec2.AddInstance(Instance, Zone);
        _ec2.AddAttachedVolume(pair.ReplicaVolume!, Instance);
    }

    protected override async ValueTask StoppingAsync()
    {
        if (_ec2 is not null)
        {
            await _ec2.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class VolumePairCollection : ICollectionFixture<VolumePairFixture>
{
    public const string Name = "MariaDB pair with the replica on an EC2 double volume";
}

/// <summary>One test's CLI harness pointed at the fixture: the tool's config with restore and drill keys.</summary>
internal static class DrillHarness
{
    public const string Mysqld = "/usr/sbin/mariadbd";

    public static async Task<CliHarness> CreateAsync(VolumePairFixture world, Func<DrillConfig, DrillConfig>? drill = null, TimeProvider? clock = null)
    {
        var cli = new CliHarness(new TestAdapters(), clock);
        await Config(world, cli, drill).WriteAsync(cli.ConfigPath, CancellationToken.None);
        return cli;
    }

    public static ToolConfig Config(VolumePairFixture world, CliHarness cli, Func<DrillConfig, DrillConfig>? drill = null)
    {
        var config = TestConfig.For(cli.Files, world.Pair.Replica.Port, MariaDbReplicationPair.MonitorPassword, world.Ec2.ServiceUrl) with
        {
            MySqlUser = MariaDbReplicationPair.MonitorUser,
            VolumeId = TestSettings.VolumeId,
            StopCommand = ServiceCommands.Stop(world.Pair.Replica),
            StartCommand = ServiceCommands.Start(world.Pair.Replica),
            PidFile = world.Pair.ReplicaPidFile,
            AvailabilityZone = VolumePairFixture.Zone,
            DeviceDirectory = world.Disks.ByIdDirectory,
        };
        var section = new DrillConfig
        {
            ScratchDirectory = cli.Files.Path("drill"),
            Mysqld = Mysqld,
            DataDirectoryOnVolume = "data",
            BufferPoolSize = "16M",
            StartTimeoutSeconds = 60,
            CountTables = [MariaDbReplicationPair.WritesTable],
        };
        return config with { Drill = drill is null ? section : drill(section) };
    }
}
