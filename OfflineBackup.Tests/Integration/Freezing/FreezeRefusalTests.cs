using OfflineBackup.Freezing;

namespace OfflineBackup.Tests.Integration.Freezing;

/// <summary>
/// The check before a freeze, on this host's real mounts: the root filesystem, and a filesystem
/// that also holds one of the tool's own files (directly, through a symlink, or through a bind
/// mount of it), are refused before anything is frozen.
/// </summary>
public sealed class FreezeRefusalTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/etc/hostname")]
    public void The_root_filesystem_is_refused_naming_the_path(string path)
    {
        var verdict = FreezeCheck.OnHost(path, []);

        Assert.False(verdict.Allowed);
        Assert.StartsWith($"refusing to freeze the filesystem holding {path}: it is the root filesystem (/)", verdict.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_volume_that_holds_none_of_the_tools_files_is_allowed_and_found_by_its_device()
    {
        await using var volume = await FreezeVolume.CreateAsync();

        Directory.CreateDirectory(Path.Combine(volume.MountPoint, "mysql"));

        var verdict = FreezeCheck.OnHost(Path.Combine(volume.MountPoint, "mysql"), [volume.Outside("offline-backup.lock"), volume.Outside("journal.json")]);

        Assert.True(verdict.Allowed, verdict.Refusal);
        Assert.Equal(volume.MountPoint, verdict.Mount!.MountPoint);
        Assert.Equal(FsFreezeCalls.DeviceOf(volume.MountPoint), verdict.Mount.Device);
        Assert.Equal(volume.Volume.Device, verdict.Mount.Source);
    }

    [Fact]
    public async Task A_lock_file_on_the_volume_is_refused_before_anything_is_frozen()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        var lockFile = Path.Combine(volume.MountPoint, "run", "offline-backup.lock"); // not created yet: its directory decides
        FreezeRecord? recorded = null;

        var refusal = await Assert.ThrowsAsync<ConfigurationException>(() => FrozenFilesystem.FreezeAsync(
            volume.MountPoint, [volume.Outside("journal.json"), lockFile], TimeSpan.FromSeconds(60), TimeProvider.System, r => recorded = r, CancellationToken.None));

        Assert.Equal(ExitCodes.BadConfiguration, refusal.ExitCode);
        Assert.Contains($"it also holds {lockFile}, which this tool writes", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("journal.json", refusal.Message, StringComparison.Ordinal);
        Assert.Null(recorded);
        Assert.Equal(FsFreezeCalls.Invalid, FsFreezeCalls.Thaw(volume.MountPoint)); // was never frozen
    }

    [Fact]
    public async Task A_journal_reached_through_a_symlink_or_a_bind_mount_of_the_volume_is_refused()
    {
        await using var volume = await FreezeVolume.CreateAsync();
        Directory.CreateDirectory(Path.Combine(volume.MountPoint, "state"));
        var link = volume.Outside("state-link");
        File.CreateSymbolicLink(link, Path.Combine(volume.MountPoint, "state"));
        var bind = volume.Outside("bound");
        Directory.CreateDirectory(bind);
        await ChildProcess.RunAsync("mount", ["--bind", Path.Combine(volume.MountPoint, "state"), bind], CancellationToken.None);

        var throughLink = FreezeCheck.OnHost(volume.MountPoint, [Path.Combine(link, "journal.json")]);
        var throughBind = FreezeCheck.OnHost(volume.MountPoint, [Path.Combine(bind, "journal.json")]);
        var freezingTheBind = FreezeCheck.OnHost(bind, [Path.Combine(volume.MountPoint, "state", "metrics.prom")]);

        Assert.Contains($"it also holds {Path.Combine(volume.MountPoint, "state", "journal.json")}", throughLink.Refusal, StringComparison.Ordinal);
        Assert.Contains($"it also holds {Path.Combine(bind, "journal.json")}", throughBind.Refusal, StringComparison.Ordinal);
        Assert.Equal(bind, freezingTheBind.Mount!.MountPoint);
        Assert.Contains("metrics.prom, which this tool writes", freezingTheBind.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_refused_naming_it()
    {
        var verdict = FreezeCheck.OnHost("/nonexistent-offline-backup-test", []);

        Assert.False(verdict.Allowed);
        Assert.Equal("cannot freeze the filesystem holding /nonexistent-offline-backup-test: the path does not exist", verdict.Refusal);
    }
}
