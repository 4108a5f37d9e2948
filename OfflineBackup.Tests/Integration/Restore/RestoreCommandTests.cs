using System.Text.Json;

namespace OfflineBackup.Tests.Integration.Restore;

/// <summary><c>restore</c> through the real parser, the real SDK client and the EC2 double's real loop devices.</summary>
public sealed class RestoreCommandTests
{
    [Fact]
    public async Task Restore_attach_makes_a_tagged_volume_finds_its_device_and_prints_the_steps_as_json()
    {
        await using var world = await RestoreWorld.StartAsync();
        var snapshotId = await world.SnapshotAsync();

        var result = await world.Cli.RunAsync("restore", snapshotId, "--attach", "--json", "--volume-type", "gp3", "--iops", "3000");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        var volumeId = root.GetProperty("volume").GetString()!;
        var stored = world.Volumes.Ec2.Volume(volumeId)!;
        Assert.Equal(snapshotId, stored.SnapshotId);
        Assert.Equal(RestoreWorld.Zone, stored.AvailabilityZone);
        Assert.Equal(snapshotId, stored.Tags[ToolTags.VolumeSourceSnapshot]);
        Assert.Equal("restore", stored.Tags[ToolTags.Purpose]);
        Assert.Equal(ToolTags.CreatedByValue, stored.Tags[ToolTags.CreatedBy]);
        Assert.Equal(VolumeWorld.Instance, stored.Attachment!.InstanceId);
        Assert.Equal("/dev/sdg", root.GetProperty("attached_as").GetString());
        Assert.Equal(world.Volumes.Disks.AttachedDevice(volumeId), root.GetProperty("device").GetString());
        Assert.Matches("^/dev/loop[0-9]+$", root.GetProperty("device").GetString()!);
        var steps = root.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("kind").GetString(), s.GetProperty("text").GetString())).ToList();
        Assert.Contains(("shell", $"mount {root.GetProperty("device").GetString()} /mnt/offline-backup/{snapshotId}"), steps);
        Assert.Contains(("sql", "CHANGE MASTER TO MASTER_USE_GTID=slave_pos;"), steps);
        Assert.Contains(steps, s => s.Item2!.Contains("--skip-slave-start", StringComparison.Ordinal) && s.Item2.Contains("--server-id=", StringComparison.Ordinal));

        await world.Volumes.Client.DetachVolumeAsync(new Amazon.EC2.Model.DetachVolumeRequest { VolumeId = volumeId });
    }

    [Fact]
    public async Task A_snapshot_not_ours_is_refused_with_exit_2_and_nothing_is_created_unless_forced()
    {
        await using var world = await RestoreWorld.StartAsync(DiskModeRequest.Directory);
        var snapshotId = await world.SnapshotAsync(ours: false);

        await AssertRefusedAsync(world, snapshotId, "was not made by offline-backup");

        var forced = await world.Cli.RunAsync("restore", snapshotId, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains($"made from {snapshotId} in {RestoreWorld.Zone}", forced.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_snapshot_is_refused()
    {
        await using var world = await RestoreWorld.StartAsync(DiskModeRequest.Directory);
        var snapshotId = await world.SnapshotAsync(complete: false);

        await AssertRefusedAsync(world, snapshotId, "is pending, not completed");
    }

    [Fact]
    public async Task The_dry_run_asks_EC2s_DryRun_and_creates_nothing()
    {
        await using var world = await RestoreWorld.StartAsync(DiskModeRequest.Directory);
        var snapshotId = await world.SnapshotAsync();

        var result = await world.Cli.RunAsync("restore", snapshotId, "--dry-run", "--attach");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("EC2's DryRun allows it", result.Output, StringComparison.Ordinal);
        Assert.Equal(1, world.Volumes.Ec2.Calls.Count("CreateVolume", dryRun: true));
        Assert.Equal(0, world.Volumes.Ec2.Calls.Count("CreateVolume", dryRun: false));
        Assert.Single(world.Volumes.Ec2.Volumes());
    }

    [Fact]
    public async Task A_device_that_never_appears_is_bounded_by_its_timeout_and_names_the_kept_volume()
    {
        await using var world = await RestoreWorld.StartAsync();
        var snapshotId = await world.SnapshotAsync();
        await world.WriteConfigAsync(c => c with
        {
            DeviceDirectory = world.Volumes.Scratch.Path("no-such-by-id"),
            // restore: has its own limit; the drill's, much longer, must not be the one used.
            Restore = new OfflineBackup.Sandbox.Testing.RestoreConfig { DeviceTimeoutSeconds = 1 },
            Drill = new OfflineBackup.Sandbox.Testing.DrillConfig { DeviceTimeoutSeconds = 600 },
        });

        var result = await world.Cli.RunAsync("restore", snapshotId, "--attach");

        Assert.Equal(ExitCodes.RestoreFailed, result.ExitCode);
        Assert.Matches("is attached but no device appeared as .* within 1 s; volume vol-[0-9a-f]+ was made from snap-", result.Error);
        var volume = world.Volumes.Ec2.Volumes().Single(v => v.SnapshotId == snapshotId);
        await world.Volumes.Client.DetachVolumeAsync(new Amazon.EC2.Model.DetachVolumeRequest { VolumeId = volume.VolumeId });
    }

    /// <summary>Asks to restore <paramref name="snapshotId"/>: refused with exit 2, saying <paramref name="because"/>, no volume created.</summary>
    private static async Task AssertRefusedAsync(RestoreWorld world, string snapshotId, string because)
    {
        var refused = await world.Cli.RunAsync("restore", snapshotId);

        Assert.Equal(ExitCodes.BadConfiguration, refused.ExitCode);
        Assert.Contains(because, refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, world.Volumes.Ec2.Calls.Count("CreateVolume"));
    }
}
