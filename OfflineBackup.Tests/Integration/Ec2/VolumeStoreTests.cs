using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;

namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>
/// <see cref="Ec2VolumeStore"/> and <see cref="VolumeWaiter"/> through the real SDK client over
/// HTTP to the EC2 double, whose volumes are real loop-attached images.
/// </summary>
public sealed class VolumeStoreTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task A_volume_made_from_a_snapshot_carries_our_tags_attaches_detaches_and_is_deleted()
    {
        await using var world = await VolumeWorld.StartAsync(DiskModeRequest.Loop);
        var snapshotId = await SnapshotAsync(world);
        var store = new Ec2VolumeStore(world.Client);
        var waiter = new VolumeWaiter(store, TimeProvider.System, Poll);

        var created = await store.CreateVolumeAsync(
            new NewVolume(snapshotId, "us-east-1a", "gp3", 3000, 125, VolumeTags.For(snapshotId, "run-1", "restore", "db1")), CancellationToken.None);
        Assert.Equal("creating", created.State);
        Assert.Equal(snapshotId, created.SnapshotId);
        var stored = world.Ec2.Volume(created.Id)!;
        Assert.Equal("offline-backup", stored.Tags[ToolTags.CreatedBy]);
        Assert.Equal(snapshotId, stored.Tags[ToolTags.VolumeSourceSnapshot]);
        Assert.Equal("run-1", stored.Tags[ToolTags.RunId]);

        var available = await waiter.AvailableAsync(created.Id, TimeSpan.FromSeconds(30), ExitCodes.RestoreFailed, CancellationToken.None);
        Assert.True(available.IsOurs);
        await store.AttachVolumeAsync(created.Id, VolumeWorld.Instance, "/dev/sdg", CancellationToken.None);
        var attached = await waiter.AttachedAsync(created.Id, TimeSpan.FromSeconds(30), ExitCodes.RestoreFailed, CancellationToken.None);
        Assert.Equal(new OfflineBackup.Aws.VolumeAttachment(VolumeWorld.Instance, "/dev/sdg", "attached"), attached.Attachment);
        Assert.NotNull(world.Disks.AttachedDevice(created.Id));

        await store.DetachVolumeAsync(created.Id, force: false, CancellationToken.None);
        await waiter.AvailableAsync(created.Id, TimeSpan.FromSeconds(30), ExitCodes.RestoreFailed, CancellationToken.None);
        Assert.Null(world.Disks.AttachedDevice(created.Id));
        await store.DeleteVolumeAsync(created.Id, CancellationToken.None);
        Assert.Null(await store.FindVolumeAsync(created.Id, CancellationToken.None));
        Assert.False(world.Disks.Exists(created.Id));

        // Both are idempotent: a clean-up that runs twice (after a SIGKILL) is not an error.
        await store.DeleteVolumeAsync(created.Id, CancellationToken.None);
    }

    [Fact]
    public async Task A_volume_without_our_tag_is_never_deleted()
    {
        await using var world = await VolumeWorld.StartAsync(DiskModeRequest.Loop);
        var snapshotId = await SnapshotAsync(world);
        var foreign = await world.Client.CreateVolumeAsync(new CreateVolumeRequest { SnapshotId = snapshotId, AvailabilityZone = "us-east-1a" });
        var store = new Ec2VolumeStore(world.Client);
        await new VolumeWaiter(store, TimeProvider.System, Poll)
            .AvailableAsync(foreign.Volume.VolumeId, TimeSpan.FromSeconds(30), ExitCodes.RestoreFailed, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<BackupException>(() => store.DeleteVolumeAsync(foreign.Volume.VolumeId, CancellationToken.None));

        Assert.Equal(ExitCodes.RestoreFailed, refused.ExitCode);
        Assert.Contains("does not carry offline-backup:created-by", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(world.Ec2.Volume(foreign.Volume.VolumeId));
        Assert.Equal(0, world.Ec2.Calls.Count("DeleteVolume"));
    }

    [Fact]
    public async Task A_volume_that_stays_creating_times_out_on_the_injected_clock_and_names_its_state()
    {
        await using var world = await VolumeWorld.StartAsync(DiskModeRequest.Loop);
        var snapshotId = await SnapshotAsync(world);
        var store = new Ec2VolumeStore(world.Client);
        world.Ec2.HoldNewVolumes = true;
        var created = await store.CreateVolumeAsync(
            new NewVolume(snapshotId, "us-east-1a", null, null, null, VolumeTags.For(snapshotId, "run-2", "drill", "db1")), CancellationToken.None);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var waiter = new VolumeWaiter(store, clock, TimeSpan.FromSeconds(10));

        var wait = waiter.AvailableAsync(created.Id, TimeSpan.FromMinutes(1), ExitCodes.DrillFailed, CancellationToken.None);
        while (!wait.IsCompleted)
        {
            // Each poll waits on the fake clock; move it on as soon as the waiter sleeps.
            await Task.Yield();
            clock.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(wait, Task.Delay(5));
        }

        var timedOut = await Assert.ThrowsAsync<BackupException>(() => wait);
        Assert.Equal(ExitCodes.DrillFailed, timedOut.ExitCode);
        Assert.Contains($"volume {created.Id} was not available after 60 s (state creating)", timedOut.Message, StringComparison.Ordinal);
        world.Ec2.ReleaseVolume(created.Id);
    }

    [Fact]
    public async Task The_dry_run_of_CreateVolume_is_allowed_and_creates_nothing()
    {
        await using var world = await VolumeWorld.StartAsync(DiskModeRequest.Directory);
        var snapshotId = await SnapshotAsync(world);
        var before = world.Ec2.Volumes().Count;

        var probe = await new Ec2VolumeStore(world.Client).ProbeCreateVolumeAsync(
            new NewVolume(snapshotId, "us-east-1a", null, null, null, VolumeTags.For(snapshotId, "run-3", "restore", "db1")), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Allowed, probe.Outcome);
        Assert.Equal(before, world.Ec2.Volumes().Count);
    }

    [Fact]
    public async Task A_snapshot_is_tagged_with_the_drill_result()
    {
        await using var world = await VolumeWorld.StartAsync(DiskModeRequest.Directory);
        var snapshotId = await SnapshotAsync(world);

        await new Ec2VolumeStore(world.Client).TagSnapshotAsync(
            snapshotId, new Dictionary<string, string> { [ToolTags.LastDrillResult] = "passed" }, CancellationToken.None);

        Assert.Equal("passed", world.Ec2.Snapshot(snapshotId)!.Tags[ToolTags.LastDrillResult]);
    }

    private static async Task<string> SnapshotAsync(VolumeWorld world)
    {
        await world.WriteAsync("marker", "before the snapshot");
        var snapshot = await world.Client.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = VolumeWorld.DataVolumeId });
        world.Ec2.Complete(snapshot.Snapshot.SnapshotId);
        return snapshot.Snapshot.SnapshotId;
    }
}
