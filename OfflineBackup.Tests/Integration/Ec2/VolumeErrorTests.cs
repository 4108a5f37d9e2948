using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>The volume calls refused as EC2 refuses them: codes, statuses, and nothing changed.</summary>
public sealed class VolumeErrorTests : IAsyncLifetime
{
    private VolumeWorld? _world;

    private VolumeWorld World => _world!;

    private IAmazonEC2 Client => World.Client;

    public async Task InitializeAsync()
    {
        _world = await VolumeWorld.StartAsync(DiskModeRequest.Loop);
        World.Ec2.AddInstance("i-0fedcba9876543210", "us-east-1b");
    }

    public async Task DisposeAsync() => await World.DisposeAsync();

    [Fact]
    public async Task Unknown_and_malformed_volume_ids()
    {
        await ExpectAsync("InvalidVolume.NotFound", () => Client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = ["vol-0000000000000dead"] }));
        await ExpectAsync("InvalidVolumeID.Malformed", () => Client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = ["volume-1"] }));
        await ExpectAsync("InvalidVolume.NotFound", () => Client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = "vol-0000000000000dead", InstanceId = VolumeWorld.Instance, Device = "/dev/sdg" }));
        await ExpectAsync("InvalidVolume.NotFound", () => Client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = "vol-0000000000000dead" }));
    }

    [Fact]
    public async Task A_volume_in_use_cannot_be_attached_again_or_deleted()
    {
        await ExpectAsync("VolumeInUse", () => Client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = VolumeWorld.DataVolumeId, InstanceId = VolumeWorld.Instance, Device = "/dev/sdg" }));
        await ExpectAsync("VolumeInUse", () => Client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = VolumeWorld.DataVolumeId }));

        Assert.Equal("in-use", World.Ec2.Volume(VolumeWorld.DataVolumeId)!.State);
        Assert.True(World.Disks.Exists(VolumeWorld.DataVolumeId));
    }

    [Fact]
    public async Task Attach_checks_the_instance_the_zone_the_device_name_and_the_state()
    {
        var volumeId = await NewAvailableVolumeAsync();

        await ExpectAsync("InvalidInstanceID.NotFound", () => AttachAsync(volumeId, "i-00000000000000000", "/dev/sdg"));
        await ExpectAsync("InvalidVolume.ZoneMismatch", () => AttachAsync(volumeId, "i-0fedcba9876543210", "/dev/sdg"));
        await ExpectAsync("InvalidParameterValue", () => AttachAsync(volumeId, VolumeWorld.Instance, "sdg"));
        await ExpectAsync("InvalidParameterValue", () => AttachAsync(volumeId, VolumeWorld.Instance, "/dev/sdf"));
        await ExpectAsync("IncorrectState", () => Client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId }));
        var dryRun = await Assert.ThrowsAsync<AmazonEC2Exception>(() => Client.AttachVolumeAsync(
            new AttachVolumeRequest { VolumeId = volumeId, InstanceId = VolumeWorld.Instance, Device = "/dev/sdg", DryRun = true }));
        Assert.Equal("DryRunOperation", dryRun.ErrorCode);

        Assert.Equal("available", World.Ec2.Volume(volumeId)!.State);
        Assert.Null(World.Disks.AttachedDevice(volumeId));
    }

    [Fact]
    public async Task A_volume_still_creating_cannot_be_attached_or_deleted_until_it_is_available()
    {
        World.Ec2.HoldNewVolumes = true;
        var created = await Client.CreateVolumeAsync(new CreateVolumeRequest { Size = 1, AvailabilityZone = "us-east-1a" });
        var volumeId = created.Volume.VolumeId;

        Assert.Equal(VolumeState.Creating, (await VolumeLifecycleTests.DescribeAsync(Client, volumeId)).State);
        await ExpectAsync("IncorrectState", () => AttachAsync(volumeId, VolumeWorld.Instance, "/dev/sdg"));
        await ExpectAsync("IncorrectState", () => Client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }));

        World.Ec2.ReleaseVolume(volumeId);
        Assert.Equal(VolumeState.Available, (await VolumeLifecycleTests.DescribeAsync(Client, volumeId)).State);
        await AttachAsync(volumeId, VolumeWorld.Instance, "/dev/sdg");
    }

    [Fact]
    public async Task With_devices_withheld_an_attached_volume_never_shows_up_on_the_host()
    {
        var volumeId = await NewAvailableVolumeAsync();
        World.Ec2.WithholdDevices = true;

        await AttachAsync(volumeId, VolumeWorld.Instance, "/dev/sdg");

        var attachment = Assert.Single((await VolumeLifecycleTests.DescribeAsync(Client, volumeId)).Attachments);
        Assert.Equal(VolumeAttachmentState.Attached, attachment.State);
        Assert.False(File.Exists(World.Disks.ByIdLink(volumeId)));
        Assert.Null(World.Disks.AttachedDevice(volumeId));
        Assert.Null(World.Ec2.Volume(volumeId)!.Attachment!.LocalDevice);
    }

    [Fact]
    public async Task CreateVolume_needs_a_completed_snapshot_of_ours_and_a_zone()
    {
        var pending = await Client.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = VolumeWorld.DataVolumeId });

        await ExpectAsync("IncorrectState", () => Client.CreateVolumeAsync(new CreateVolumeRequest { SnapshotId = pending.Snapshot.SnapshotId, AvailabilityZone = "us-east-1a" }));
        await ExpectAsync("InvalidSnapshot.NotFound", () => Client.CreateVolumeAsync(new CreateVolumeRequest { SnapshotId = "snap-0000000000000dead", AvailabilityZone = "us-east-1a" }));
        await ExpectAsync("InvalidParameterValue", () => Client.CreateVolumeAsync(new CreateVolumeRequest { Size = 1, AvailabilityZone = "the moon" }));
        await ExpectAsync("MissingParameter", () => Client.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = "us-east-1a" }));

        Assert.Single(World.Ec2.Volumes());
    }

    private async Task<string> NewAvailableVolumeAsync()
    {
        var created = await Client.CreateVolumeAsync(new CreateVolumeRequest { Size = 1, AvailabilityZone = "us-east-1a" });
        await VolumeLifecycleTests.DescribeAsync(Client, created.Volume.VolumeId);
        return created.Volume.VolumeId;
    }

    private Task<AttachVolumeResponse> AttachAsync(string volumeId, string instanceId, string device) =>
        Client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = instanceId, Device = device });

    private static async Task ExpectAsync(string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(call);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }
}
