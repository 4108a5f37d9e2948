using OfflineBackup.Sandbox.Disks;
using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Tests.Support;

namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>
/// A real MariaDB pair whose replica keeps its data on a loop-mounted volume that is the EC2
/// double's EBS volume, as in the sandbox: a snapshot copies the real image, and a volume made
/// from it is a real loop device. Shared by the drill and restore classes of one collection.
/// </summary>
public sealed class VolumePairFixture : IAsyncLifetime
{
    public const string Instance = "i-0123456789abcdef0";
    public const string Zone = "us-east-1a";

    private MariaDbReplicationPair? _pair;
    private Ec2Double? _ec2;

    public MariaDbReplicationPair Pair => _pair ?? throw new InvalidOperationException("not started");

    public Ec2Double Ec2 => _ec2 ?? throw new InvalidOperationException("not started");

    public DiskStore Disks => Pair.Disks!;

    public async Task InitializeAsync()
    {
        _pair = await MariaDbReplicationPair.StartAsync(
            new MariaDbPairOptions { ReplicaVolume = new DataVolumeOptions { VolumeId = TestSettings.VolumeId, Mode = DiskModeRequest.Loop } },
            CancellationToken.None);
        _ec2 = await Ec2Double.StartAsync(new Ec2DoubleOptions { Disks = _pair.Disks });
        _ec2.AddInstance(Instance, Zone);
        _ec2.AddAttachedVolume(_pair.ReplicaVolume!, Instance);
    }

    public async Task DisposeAsync()
    {
        if (_ec2 is not null)
        {
            await _ec2.DisposeAsync();
        }

        if (_pair is not null)
        {
            await _pair.DisposeAsync();
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

    public static CliHarness Create(VolumePairFixture world, string drillExtra = "")
    {
        var cli = new CliHarness(new TestAdapters());
        cli.WriteConfig(Config(world, cli, drillExtra));
        return cli;
    }

    public static TestConfig Config(VolumePairFixture world, CliHarness cli, string drillExtra = "") => new(
        world.Pair.Replica.Port,
        MariaDbReplicationPair.MonitorUser,
        MariaDbReplicationPair.MonitorPassword,
        world.Ec2.ServiceUrl,
        VolumeId: TestSettings.VolumeId,
        StopCommand: ServiceCommands.Stop(world.Pair.Replica),
        StartCommand: ServiceCommands.Start(world.Pair.Replica),
        PidFile: world.Pair.ReplicaPidFile,
        InstanceExtra: $"  availability_zone: {VolumePairFixture.Zone}\n  device_directory: {world.Disks.ByIdDirectory}\n",
        ExtraSections: $"""
            drill:
              scratch_directory: {cli.Directory.File("drill")}
              mysqld: {Mysqld}
              data_directory_on_volume: data
              buffer_pool_size: 16M
              start_timeout_seconds: 60
              count_tables:
                - {MariaDbReplicationPair.WritesTable}
            {drillExtra}
            """);

    /// <summary>The same config with another server binary (a script standing in for a broken one).</summary>
    public static TestConfig WithMysqld(this TestConfig config, string mysqld) =>
        config with { ExtraSections = config.ExtraSections.Replace($"mysqld: {Mysqld}", $"mysqld: {mysqld}", StringComparison.Ordinal) };
}
