using Amazon.EC2.Model;

namespace OfflineBackup.Tests.Integration.Restore;

/// <summary>
/// A <see cref="VolumeWorld"/> (EC2 double with real loop-attached volumes) and a CLI harness
/// whose config points restore at it: the zone of the double's instance, its by-id directory.
/// </summary>
internal sealed class RestoreWorld : IAsyncDisposable
{
    public const string Zone = "us-east-1a";

    private RestoreWorld(VolumeWorld volumes, CliHarness cli)
    {
        Volumes = volumes;
        Cli = cli;
    }

    public VolumeWorld Volumes { get; }

    public CliHarness Cli { get; }

    public static async Task<RestoreWorld> StartAsync(DiskModeRequest mode = DiskModeRequest.Loop, Func<ToolConfig, ToolConfig>? change = null)
    {
        var volumes = await VolumeWorld.StartAsync(mode);
        var cli = new CliHarness(new TestAdapters());
        var world = new RestoreWorld(volumes, cli);
        await world.WriteConfigAsync(change);
        return world;
    }

    /// <summary>The tool's config pointed at the double: its zone and by-id directory, <paramref name="change"/> applied.</summary>
    public Task WriteConfigAsync(Func<ToolConfig, ToolConfig>? change = null) =>
        Cli.WriteConfigAsync(3306, "pw", Volumes.Ec2.ServiceUrl, c =>
        {
            var config = c with { VolumeId = VolumeWorld.DataVolumeId, AvailabilityZone = Zone, DeviceDirectory = Volumes.Disks.ByIdDirectory };
            return change is null ? config : change(config);
        });

    /// <summary>A completed snapshot of the data volume; ours (tagged as the tool tags) unless told otherwise.</summary>
    public async Task<string> SnapshotAsync(bool ours = true, bool complete = true)
    {
        await Volumes.WriteAsync("marker", "before the snapshot");
        var tags = ours
            ? new List<Tag> { new(ToolTags.CreatedBy, ToolTags.CreatedByValue), new(ToolTags.Volume, VolumeWorld.DataVolumeId) }
            : [new Tag("Name", "made by hand")];
        var snapshot = await Volumes.Client.CreateSnapshotAsync(new CreateSnapshotRequest
        {
            VolumeId = VolumeWorld.DataVolumeId,
            TagSpecifications = [new TagSpecification { ResourceType = Amazon.EC2.ResourceType.Snapshot, Tags = tags }],
        });
        if (complete)
        {
            Volumes.Ec2.Complete(snapshot.Snapshot.SnapshotId);
        }

        return snapshot.Snapshot.SnapshotId;
    }

    public async ValueTask DisposeAsync()
    {
        Cli.Dispose();
        await Volumes.DisposeAsync();
    }
}
