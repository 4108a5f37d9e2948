namespace OfflineBackup.Tests.Integration.Disks;

/// <summary>
/// The pair with the replica on a real volume (MariaDbPairOptions.ReplicaVolume): where the
/// online mode's preflight will look, everything the replica needs is on the volume's filesystem.
/// </summary>
public sealed class ReplicaVolumeTests
{
    [Fact]
    public async Task The_replicas_data_and_relay_logs_live_on_the_loop_mounted_volume_and_go_with_the_pair()
    {
        var pair = await MariaDbReplicationPair.StartAsync(
            new MariaDbPairOptions { ReplicaVolume = new DataVolumeOptions { Mode = DiskModeRequest.Loop } }, CancellationToken.None);
        string root;
        await using (pair)
        {
            root = pair.RootDirectory;
            var volume = pair.ReplicaVolume!;
            var mount = KernelDisks.MountAt(volume.MountPoint);
            Assert.NotNull(mount);
            Assert.Equal(("ext4", volume.Device), (mount.FileSystem, mount.Source));
            Assert.Equal(volume.Device, File.ResolveLinkTarget(volume.ByIdLink, returnFinalTarget: false)!.FullName);
            Assert.Equal(volume.ImagePath, KernelDisks.LoopDevices().Single(l => l.Device == volume.Device).BackingFile);

            var datadir = (string)(await pair.Replica.ScalarAsync("SELECT @@datadir", CancellationToken.None))!;
            var relayLog = (string)(await pair.Replica.ScalarAsync("SELECT @@relay_log_basename", CancellationToken.None))!;
            Assert.StartsWith(volume.MountPoint + "/", datadir, StringComparison.Ordinal);
            Assert.StartsWith(volume.MountPoint + "/", relayLog, StringComparison.Ordinal);
            var id = await pair.WriteOnPrimaryAsync("on the volume", CancellationToken.None);
            await pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
            Assert.True(await pair.ReplicaHasRowAsync(id, CancellationToken.None));
            Assert.NotEmpty(DiskReclaim.LoopsOf(root));
        }

        Assert.Empty(DiskReclaim.LoopsOf(root));
        Assert.Empty(DiskReclaim.MountsUnder(root));
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task Without_loop_devices_the_same_pair_runs_on_a_directory_and_says_so()
    {
        await using var pair = await MariaDbReplicationPair.StartAsync(
            new MariaDbPairOptions { ReplicaVolume = new DataVolumeOptions { Mode = DiskModeRequest.Directory } }, CancellationToken.None);

        var volume = pair.ReplicaVolume!;
        Assert.Equal(DiskMode.Directory, volume.Store.Mode);
        Assert.Contains("directory mode", volume.Store.Description, StringComparison.Ordinal);
        Assert.Empty(DiskReclaim.LoopsOf(pair.RootDirectory));
        var datadir = (string)(await pair.Replica.ScalarAsync("SELECT @@datadir", CancellationToken.None))!;
        Assert.StartsWith(volume.MountPoint + "/", datadir, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(volume.ImagePath, "data", "ibdata1")));
    }
}
