using Amazon.EC2;
using Amazon.EC2.Model;
using OfflineBackup.Tests.Integration.Disks;

namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>
/// Snapshot → volume → device → mount and back, through the real SDK client over HTTP: the
/// double's volumes are real images, in loop mode real loop devices and mounts.
/// </summary>
public sealed class VolumeLifecycleTests(ITestOutputHelper log)
{
    [Theory]
    [MemberData(nameof(DiskModeTheories.Both), MemberType = typeof(DiskModeTheories))]
    public async Task A_snapshot_restores_the_volume_as_it_was_when_CreateSnapshot_arrived(DiskModeRequest mode)
    {
        await using var world = await VolumeWorld.StartAsync(mode);
        var client = world.Client;
        await world.WriteAsync("before", "written before the snapshot");

        var snapshot = await client.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = VolumeWorld.DataVolumeId });
        await world.WriteAsync("after", "written after the snapshot");
        await world.WriteAsync("before", "overwritten after the snapshot");
        world.Ec2.Complete(snapshot.Snapshot.SnapshotId);

        var copy = world.Ec2.SnapshotImage(snapshot.Snapshot.SnapshotId)!;
        log.WriteLine($"{mode}: CreateSnapshot copied the image by {copy.Method} in {copy.Elapsed.TotalMilliseconds:0.00} ms");
        var created = await client.CreateVolumeAsync(new CreateVolumeRequest { SnapshotId = snapshot.Snapshot.SnapshotId, AvailabilityZone = "us-east-1a" });
        var volumeId = created.Volume.VolumeId;
        Assert.Matches("^vol-[0-9a-f]{17}$", volumeId);
        Assert.Equal(VolumeState.Creating, created.Volume.State);
        Assert.Equal(snapshot.Snapshot.SnapshotId, created.Volume.SnapshotId);
        Assert.Equal(1, created.Volume.Size);
        Assert.Equal(VolumeState.Available, (await DescribeAsync(client, volumeId)).State);

        var attached = await client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = VolumeWorld.Instance, Device = "/dev/sdg" });
        Assert.Equal(VolumeAttachmentState.Attaching, attached.Attachment.State);
        var inUse = await DescribeAsync(client, volumeId);
        Assert.Equal(VolumeState.InUse, inUse.State);
        var attachment = Assert.Single(inUse.Attachments);
        Assert.Equal((VolumeWorld.Instance, "/dev/sdg", VolumeAttachmentState.Attached), (attachment.InstanceId, attachment.Device, attachment.State));
        var link = Path.Combine(world.Disks.ByIdDirectory, "nvme-Amazon_Elastic_Block_Store_" + volumeId.Replace("-", ""));
        var device = File.ResolveLinkTarget(link, returnFinalTarget: false)!.FullName;
        if (mode == DiskModeRequest.Loop)
        {
            Assert.Matches("^/dev/loop[0-9]+$", device);
            Assert.Equal(world.Disks.PathOf(volumeId), KernelDisks.LoopDevices().Single(l => l.Device == device).BackingFile);
        }

        var mountPoint = world.Scratch.Path("restored");
        await world.Disks.MountAsync(link, mountPoint, CancellationToken.None);
        Assert.Equal("written before the snapshot", await File.ReadAllTextAsync(Path.Combine(mountPoint, "before")));
        Assert.False(File.Exists(Path.Combine(mountPoint, "after")));

        // Mounted, the device is busy: EC2 keeps the volume detaching until the OS lets go.
        var detaching = await client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId });
        Assert.Equal(VolumeAttachmentState.Detaching, detaching.Attachment.State);
        Assert.Equal(VolumeAttachmentState.Detaching, Assert.Single((await DescribeAsync(client, volumeId)).Attachments).State);
        Assert.True(File.Exists(link) || Directory.Exists(link));
        await world.Disks.UnmountAsync(mountPoint, CancellationToken.None);
        var available = await PollAsync(client, volumeId, v => v.State == VolumeState.Available);
        Assert.Empty(available.Attachments ?? []);
        Assert.False(File.Exists(link) || Directory.Exists(link));
        Assert.Null(world.Disks.AttachedDevice(volumeId));

        await client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId });
        var gone = await Assert.ThrowsAsync<AmazonEC2Exception>(() => DescribeAsync(client, volumeId));
        Assert.Equal("InvalidVolume.NotFound", gone.ErrorCode);
        Assert.False(world.Disks.Exists(volumeId));
        Assert.True(world.Disks.Exists(copy.To));
        await client.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshot.Snapshot.SnapshotId });
        Assert.False(world.Disks.Exists(copy.To));
    }

    [Fact]
    public async Task The_data_volume_is_reported_in_use_by_its_instance_and_filters_select_it()
    {
        await using var world = await VolumeWorld.StartAsync(DiskModeRequest.Loop);

        var response = await world.Client.DescribeVolumesAsync(new DescribeVolumesRequest
        {
            Filters = [new Filter { Name = "attachment.instance-id", Values = [VolumeWorld.Instance] }, new Filter { Name = "status", Values = ["in-*"] }],
        });

        var volume = Assert.Single(response.Volumes);
        Assert.Equal(VolumeWorld.DataVolumeId, volume.VolumeId);
        Assert.Equal("us-east-1a", volume.AvailabilityZone);
        Assert.Equal(("/dev/sdf", VolumeAttachmentState.Attached), (volume.Attachments[0].Device, volume.Attachments[0].State));
        Assert.Equal(world.Data.Device, world.Ec2.Volume(VolumeWorld.DataVolumeId)!.Attachment!.LocalDevice);
        Assert.Empty((await world.Client.DescribeVolumesAsync(new DescribeVolumesRequest
        {
            Filters = [new Filter { Name = "status", Values = ["available"] }],
        })).Volumes ?? []);
    }

    [Fact]
    public async Task Forced_detach_lets_go_of_a_mounted_volume()
    {
        await using var world = await VolumeWorld.StartAsync(DiskModeRequest.Loop);
        var blank = await world.Client.CreateVolumeAsync(new CreateVolumeRequest { Size = 1, AvailabilityZone = "us-east-1a" });
        var volumeId = blank.Volume.VolumeId;
        await DescribeAsync(world.Client, volumeId);
        await world.Client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = VolumeWorld.Instance, Device = "/dev/sdh" });
        var device = world.Disks.AttachedDevice(volumeId)!;
        var format = await ChildProcess.RunAsync("mkfs.ext4", ["-q", "-E", "lazy_itable_init=1,lazy_journal_init=1", device], CancellationToken.None);
        Assert.True(format.Succeeded, format.StandardError);
        await world.Disks.MountAsync(device, world.Scratch.Path("blank"), CancellationToken.None);

        await world.Client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId, Force = true });

        Assert.Equal(VolumeState.Available, (await DescribeAsync(world.Client, volumeId)).State);
        Assert.False(File.Exists(world.Disks.ByIdLink(volumeId)));
        Assert.Equal(device, KernelDisks.MountAt(world.Scratch.Path("blank"))!.Source);
    }

    /// <summary>Describes until the condition holds, as a client waits on EC2; bounded.</summary>
    internal static async Task<Volume> PollAsync(IAmazonEC2 client, string volumeId, Func<Volume, bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var volume = await DescribeAsync(client, volumeId);
            if (condition(volume))
            {
                return volume;
            }

            Assert.False(limit.IsCancellationRequested, $"{volumeId} is still {volume.State} after 30 s");
        }
    }

    internal static async Task<Volume> DescribeAsync(IAmazonEC2 client, string volumeId) =>
        Assert.Single((await client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] })).Volumes);
}
