namespace OfflineBackup.Tests.Integration.Disks;

/// <summary>
/// The disk store on real loop devices and mounts (loop mode, as root) and on plain directories
/// (the fallback), through the same API.
/// </summary>
public sealed class DiskStoreTests(ITestOutputHelper log)
{
    [Theory]
    [MemberData(nameof(DiskModeTheories.Both), MemberType = typeof(DiskModeTheories))]
    public async Task A_copy_holds_the_volume_as_it_was_at_the_copy_and_nothing_written_later(DiskModeRequest mode)
    {
        await using var scratch = await ScratchDisks.CreateAsync(mode, CancellationToken.None);
        var disks = scratch.Store;
        var volume = await DataVolume.CreateAsync(disks, new DataVolumeOptions { VolumeId = "vol-0000000000000aaaa", SizeGiB = 1 }, scratch.Path("data"), CancellationToken.None);
        await WriteAndFlushAsync(volume.MountPoint, "before", "written before the copy");

        var copy = await disks.CopyAsync(volume.VolumeId, "snap-0000000000000aaaa", CancellationToken.None);
        await WriteAndFlushAsync(volume.MountPoint, "after", "written after the copy");
        await File.WriteAllTextAsync(Path.Combine(volume.MountPoint, "before"), "overwritten after the copy");
        await ChildProcess.RunAsync("sync", ["--file-system", volume.MountPoint], CancellationToken.None);

        log.WriteLine($"{mode}: copy of the mounted volume by {copy.Method} in {copy.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.Equal(mode == DiskModeRequest.Loop ? "reflink" : "directory", copy.Method);
        await disks.CopyAsync(copy.To, "vol-0000000000000bbbb", CancellationToken.None);
        var device = await disks.AttachAsync("vol-0000000000000bbbb", CancellationToken.None);
        var restored = scratch.Path("restored");
        await disks.MountAsync(device, restored, CancellationToken.None);
        Assert.Equal("written before the copy", await File.ReadAllTextAsync(Path.Combine(restored, "before")));
        Assert.False(File.Exists(Path.Combine(restored, "after")));
    }

    [Fact]
    public async Task Attached_volumes_are_loop_devices_named_as_Nitro_names_EBS_volumes()
    {
        await using var scratch = await ScratchDisks.CreateAsync(DiskModeRequest.Loop, CancellationToken.None);
        var disks = scratch.Store;
        await disks.CreateFilesystemAsync("vol-0123456789abcdef0", 1, CancellationToken.None);

        var device = await disks.AttachAsync("vol-0123456789abcdef0", CancellationToken.None);

        var link = Path.Combine(disks.ByIdDirectory, "nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0");
        Assert.Equal(link, disks.ByIdLink("vol-0123456789abcdef0"));
        Assert.Equal(device, File.ResolveLinkTarget(link, returnFinalTarget: false)!.FullName);
        Assert.Matches("^/dev/loop[0-9]+$", device);
        Assert.Equal(disks.PathOf("vol-0123456789abcdef0"), KernelDisks.LoopDevices().Single(l => l.Device == device).BackingFile);
        Assert.StartsWith(scratch.Directory + "/", disks.ByIdDirectory, StringComparison.Ordinal);

        await DetachAsync(disks, "vol-0123456789abcdef0");
        Assert.False(File.Exists(link));
        Assert.DoesNotContain(KernelDisks.LoopDevices(), l => l.Device == device && l.BackingFile == disks.PathOf("vol-0123456789abcdef0"));
    }

    [Theory]
    [MemberData(nameof(DiskModeTheories.Both), MemberType = typeof(DiskModeTheories))]
    public async Task A_mounted_volume_is_busy_until_unmounted_or_forced(DiskModeRequest mode)
    {
        await using var scratch = await ScratchDisks.CreateAsync(mode, CancellationToken.None);
        var volume = await DataVolume.CreateAsync(scratch.Store, new DataVolumeOptions { VolumeId = "vol-0000000000000cccc", SizeGiB = 1 }, scratch.Path("data"), CancellationToken.None);

        Assert.False(await scratch.Store.TryDetachAsync(volume.VolumeId, force: false, CancellationToken.None));
        Assert.NotNull(scratch.Store.AttachedDevice(volume.VolumeId));

        await scratch.Store.UnmountAsync(volume.MountPoint, CancellationToken.None);
        await DetachAsync(scratch.Store, volume.VolumeId);
        Assert.Null(scratch.Store.AttachedDevice(volume.VolumeId));
        scratch.Store.Delete(volume.VolumeId);
        Assert.False(scratch.Store.Exists(volume.VolumeId));
    }

    [Fact]
    public async Task Disposing_releases_every_mount_and_loop_device_of_the_store_and_only_those()
    {
        await using var other = await ScratchDisks.CreateAsync(DiskModeRequest.Loop, CancellationToken.None);
        var kept = await DataVolume.CreateAsync(other.Store, new DataVolumeOptions { VolumeId = "vol-0000000000000dddd", SizeGiB = 1 }, other.Path("data"), CancellationToken.None);
        var scratch = await ScratchDisks.CreateAsync(DiskModeRequest.Loop, CancellationToken.None);
        await DataVolume.CreateAsync(scratch.Store, new DataVolumeOptions { VolumeId = "vol-0000000000000eeee", SizeGiB = 1 }, scratch.Path("data"), CancellationToken.None);
        Assert.Equal(2, DiskReclaim.LoopsOf(scratch.Directory).Count);
        Assert.Equal(2, DiskReclaim.MountsUnder(scratch.Directory).Count);

        await scratch.DisposeAsync();

        Assert.Empty(DiskReclaim.LoopsOf(scratch.Directory));
        Assert.Empty(DiskReclaim.MountsUnder(scratch.Directory));
        Assert.False(Directory.Exists(scratch.Directory));
        Assert.Equal(2, DiskReclaim.LoopsOf(other.Directory).Count);
        Assert.NotNull(KernelDisks.MountAt(kept.MountPoint));
    }

    [Fact]
    public async Task Directory_mode_says_so_and_why()
    {
        await using var scratch = await ScratchDisks.CreateAsync(DiskModeRequest.Directory, CancellationToken.None);

        Assert.Equal(DiskMode.Directory, scratch.Store.Mode);
        Assert.StartsWith("directory mode: plain directory copies", scratch.Store.Description, StringComparison.Ordinal);
        Assert.Empty(DiskReclaim.LoopsOf(scratch.Directory));
    }

    /// <summary>Detached once the kernel lets go (udev may hold a device open for a moment); bounded.</summary>
    internal static async Task DetachAsync(DiskStore disks, string volumeId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await disks.TryDetachAsync(volumeId, force: false, limit.Token))
        {
            Assert.False(limit.IsCancellationRequested, $"{volumeId} was not detached within 30 s");
        }
    }

    private static async Task WriteAndFlushAsync(string directory, string name, string text)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, name), text);
        // What a snapshot holds is what reached the device; the page cache is not in it.
        var sync = await ChildProcess.RunAsync("sync", ["--file-system", directory], CancellationToken.None);
        Assert.True(sync.Succeeded, sync.StandardError);
    }
}
