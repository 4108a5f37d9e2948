using System.Globalization;
using OfflineBackup.Sandbox.MariaDb;
using Ec2Api = OfflineBackup.Sandbox.Ec2Double.Ec2Double;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// The sandbox's two outside worlds, the same ones the tests use: a real MariaDB primary and
/// replica on loopback and the EC2 API double, plus the tool's files. The files live inside the
/// pair's directory, so one clean-up removes everything, including any tool process still
/// running with a config from there.
/// </summary>
internal sealed class SandboxWorld : IAsyncDisposable
{
    private SandboxWorld(MariaDbReplicationPair pair, Ec2Api ec2, SandboxSite site)
    {
        Pair = pair;
        Ec2 = ec2;
        Site = site;
    }

    public MariaDbReplicationPair Pair { get; }

    public Ec2Api Ec2 { get; }

    public SandboxSite Site { get; }

    public static async Task<SandboxWorld> StartAsync(TextWriter output, CancellationToken cancellationToken)
    {
        // Signals are the sandbox's to handle (see Interrupts): an interrupted tool run gets to
        // start MySQL again before the servers go.
        var pair = await MariaDbReplicationPair.StartAsync(
            new MariaDbPairOptions { DestroyOnSignal = false, ReplicaVolume = new Disks.DataVolumeOptions { VolumeId = SandboxSite.VolumeId } },
            cancellationToken);
        try
        {
            var version = await pair.Replica.ScalarAsync("SELECT VERSION()", cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"sandbox: MariaDB {version}: primary 127.0.0.1:{pair.Primary.Port}, replica 127.0.0.1:{pair.Replica.Port} (GTID replication), up in {pair.StartupTime.TotalSeconds:0.0} s"));
            var volume = pair.ReplicaVolume!;
            await output.WriteLineAsync($"sandbox: the replica's data volume {volume.Describe()}; {volume.Store.Description}");
            var ec2 = await Ec2Api.StartAsync(new Ec2Double.Ec2DoubleOptions { Disks = volume.Store }, cancellationToken);
            var site = new SandboxSite(Path.Combine(pair.RootDirectory, "offline-backup"), pair.Replica, ec2.ServiceUrl);
            ec2.AddInstance(SandboxSite.InstanceId);
            ec2.AddAttachedVolume(volume, SandboxSite.InstanceId);
            SandboxHistory.Seed(ec2, site, TimeProvider.System.GetUtcNow());
            await output.WriteLineAsync(
                $"sandbox: EC2 API double at {ec2.ServiceUrl}: volume {SandboxSite.VolumeId}, {ec2.Snapshots().Count} earlier snapshots");
            await site.WriteConfigAsync(cancellationToken);
            await output.WriteLineAsync($"sandbox: config {site.ConfigPath}");
            return new SandboxWorld(pair, ec2, site);
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Ec2.DisposeAsync();
        await Pair.DisposeAsync();
    }
}
