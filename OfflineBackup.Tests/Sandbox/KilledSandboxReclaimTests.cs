namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// A sandbox killed outright (SIGKILL: no handler, no clean-up) leaves its servers, mounts and
/// loop devices; the next start reclaims them, and nothing that belongs to a live owner.
/// </summary>
public sealed class KilledSandboxReclaimTests
{
    private const int SigKill = 9;

    [Fact]
    public async Task The_next_start_releases_the_mounts_and_loop_devices_of_a_killed_sandbox_and_only_those()
    {
        await using var alive = await ScratchDisks.CreateAsync(DiskModeRequest.Loop, CancellationToken.None);
        var aliveVolume = await DataVolume.CreateAsync(
            alive.Store, new DataVolumeOptions { VolumeId = "vol-0000000000000a11e", SizeGiB = 1 }, alive.Path("data"), CancellationToken.None);
        using var sandbox = ChildProcess.Start(SandboxCommandTests.Binary, ["--keep"]);
        await sandbox.WaitForLineAsync(l => l.StartsWith("sandbox: kept running until Ctrl-C", StringComparison.Ordinal), SandboxCommandTests.StartLimit);
        var root = SandboxCommandTests.RootOf(sandbox.Output);
        // The pool and the replica's volume, and their mounts, while the sandbox runs.
        Assert.Equal(2, DiskReclaim.LoopsOf(root).Count);
        Assert.Equal(2, DiskReclaim.MountsUnder(root).Count);

        sandbox.Signal(SigKill);
        await sandbox.WaitAsync(SandboxCommandTests.StartLimit);
        Assert.Equal(2, DiskReclaim.LoopsOf(root).Count);
        Assert.NotEmpty(SandboxProcesses.FindUsing(root));

        SandboxDirectory.ReapAbandoned();

        // Another test run on this machine may be reaping the same directory right now (both
        // see its owner dead); then ours stepped aside, and theirs finishing is what counts.
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!limit.IsCancellationRequested && (Directory.Exists(root) || DiskReclaim.LoopsOf(root).Count > 0))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
        }

        Assert.Empty(DiskReclaim.LoopsOf(root));
        Assert.Empty(DiskReclaim.MountsUnder(root));
        Assert.Empty(SandboxProcesses.FindUsing(root));
        Assert.False(Directory.Exists(root), $"{root} is still there");
        Assert.Equal(2, DiskReclaim.LoopsOf(alive.Directory).Count);
        Assert.NotNull(KernelDisks.MountAt(aliveVolume.MountPoint));
        Assert.Equal("ext4", KernelDisks.MountAt(aliveVolume.MountPoint)!.FileSystem);
    }
}
