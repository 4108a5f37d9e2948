namespace OfflineBackup.Tests.Integration.Disks;

/// <summary>
/// A snapshot holds what reached the block device, like EBS: the EC2 double's CreateSnapshot
/// copies the replica's loop-mounted volume image at that instant, so a write still in the page
/// cache is not in it. The stop command writes a file into the data directory after mysqld
/// stopped, without fsync, and the run snapshots right away; the volume restored from that
/// snapshot (mounted, its journal replayed, as a DBA would) must hold the file and its content.
/// Without the run's syncfs this fails: the kernel writes such data back after 5 to 30 s.
/// </summary>
public sealed class DataDirectorySyncTests
{
    private const string Content = "written by the stop command after mysqld stopped, never fsynced";

    [Fact]
    public async Task What_the_stop_command_wrote_unsynced_into_the_data_directory_is_in_the_snapshot()
    {
        await using var world = await ToolWorld.StartAsync(
            new ToolWorldOptions
            {
                OwnPair = new MariaDbPairOptions { ReplicaVolume = new DataVolumeOptions { VolumeId = ToolConfig.DefaultVolumeId, Mode = DiskModeRequest.Loop } },
                Configure = (config, _) => TestConfig.Quick(config),
            },
            CancellationToken.None);
        var volume = world.Pair.ReplicaVolume!;
        Assert.Equal(DiskMode.Loop, volume.Store.Mode);
        var dataDirectory = ((string)(await world.Pair.Replica.ScalarAsync("SELECT @@datadir", CancellationToken.None))!).TrimEnd('/');
        var marker = Path.Combine(dataDirectory, "unsynced-marker");
        await world.RewriteAsync(c => c with { StopCommand = $"{c.StopCommand} && printf '%s' '{Content}' > '{marker}'" });

        var run = await world.Cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal(Content, await File.ReadAllTextAsync(marker));
        var snapshot = Assert.Single(world.Ec2.Snapshots());
        var restoreDirectory = Path.Combine(world.Pair.RootDirectory, "restore");
        var check = new SnapshotRestoreCheck(
            world.Ec2, restoreDirectory, ToolConfig.DefaultInstanceId, world.Ec2.Volume(volume.VolumeId)!.AvailabilityZone, world.Pair.Replica.RootPassword);
        var restored = await check.RunAsync(
            snapshot.SnapshotId,
            (_, _) =>
            {
                var copy = Path.Combine(restoreDirectory, "volume", Path.GetRelativePath(volume.MountPoint, marker));
                return Task.FromResult(File.Exists(copy) ? File.ReadAllText(copy) : null);
            },
            CancellationToken.None);

        Assert.True(restored == Content, $"the restored snapshot has {(restored is null ? "no" : $"\"{restored}\" in the")} file the stop command wrote");
    }
}
