namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>
/// The real binary as a child process, signalled in each phase of a drill while a gate holds it
/// there (<see cref="DrillPhaseHold"/>): SIGTERM must leave nothing behind before the process
/// exits 143, and the snapshot as it was; after SIGKILL the next invocation finds what the drill
/// left (its journal) and removes it.
/// </summary>
[Collection(VolumePairCollection.Name)]
public sealed class DrillSignalTests(VolumePairFixture world, ITestOutputHelper log) : HealthyPairTests(world.Pair)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Theory]
    [InlineData(DrillPhase.CreatingVolume)]
    [InlineData(DrillPhase.WaitingForDevice)]
    [InlineData(DrillPhase.Mounting)]
    [InlineData(DrillPhase.ServerStarting)]
    [InlineData(DrillPhase.Checking)]
    [InlineData(DrillPhase.StoppingServer)]
    [InlineData(DrillPhase.Unmounting)]
    [InlineData(DrillPhase.Detaching)]
    [InlineData(DrillPhase.Deleting)]
    public async Task Sigterm_in_any_phase_cleans_up_before_exit_143_and_leaves_the_snapshot_untouched(DrillPhase phase)
    {
        using var cli = new CliHarness(new TestAdapters());
        await using var hold = await DrillPhaseHold.ArmAsync(world, cli, phase);
        var before = SnapshotState(hold.SnapshotId);

        using var child = hold.Start("drill", "--snapshot", hold.SnapshotId);
        await child.WaitForAsync(() => hold.IsReached, Patience);
        child.Signal(Signals.Term);
        if (hold.WaitsOnTheWorld)
        {
            // Let go only once the signal is in, so it arrives in the phase, not after it.
            await child.WaitForAsync(() => cli.ReadLog().Contains("received SIGTERM", StringComparison.Ordinal), Patience);
            hold.AfterSignal();
        }

        var exitCode = await child.WaitAsync(Patience);

        log.WriteLine(child.ToString());
        log.WriteLine(cli.ReadLog());
        Assert.True(exitCode == ExitCodes.Terminated, $"exit {exitCode}\n{child}");
        Assert.Contains("interrupted", child.StandardError, StringComparison.Ordinal);
        DrillWorld.AssertNothingLeft(world, cli);
        Assert.Equal(before, SnapshotState(hold.SnapshotId));
    }

    [Fact]
    public async Task After_sigkill_with_the_server_up_the_next_drill_stops_it_unmounts_and_deletes_the_volume()
    {
        using var cli = new CliHarness(new TestAdapters());
        await using var hold = await DrillPhaseHold.ArmAsync(world, cli, DrillPhase.Checking);
        var leftVolume = await KillInChecksAsync(hold);

        hold.ReleaseChecks();
        var next = await cli.RunAsync("drill", "--snapshot", hold.SnapshotId);

        log.WriteLine(next.ToString());
        Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
        Assert.Matches("an interrupted drill .* was cleaned up: stopped the throwaway server \\(pid [0-9]+\\), unmounted .*, deleted volume " + leftVolume, next.Error);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task After_sigkill_of_a_drill_the_next_hourly_run_removes_what_it_left_even_when_no_backup_is_due()
    {
        using var cli = new CliHarness(new TestAdapters());
        await using var hold = await DrillPhaseHold.ArmAsync(world, cli, DrillPhase.Checking);
        var leftVolume = await KillInChecksAsync(hold);

        // The snapshot just taken is younger than a day: the run is not due and backs nothing up.
        var next = await cli.RunAsync("run");

        log.WriteLine(next.ToString());
        Assert.Equal(ExitCodes.NotDue, next.ExitCode);
        Assert.Matches("an interrupted drill .* was cleaned up: stopped the throwaway server \\(pid [0-9]+\\), unmounted .*, deleted volume " + leftVolume, next.Error);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    /// <summary>SIGKILLs a drill held in its checks, and shows that it left its server, mount, volume and journal.</summary>
    private async Task<string> KillInChecksAsync(DrillPhaseHold hold)
    {
        using (var child = hold.Start("drill", "--snapshot", hold.SnapshotId))
        {
            await child.WaitForAsync(() => hold.IsReached, Patience);
            child.Signal(Signals.Kill);
            await child.WaitAsync(Patience);
        }

        var scratch = hold.Cli.Files.Path("drill");
        Assert.True(File.Exists(Path.Combine(scratch, "drill.json")), "a killed drill leaves its journal");
        Assert.Contains(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(scratch, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(scratch, "mysqld.sock")), "the throwaway server outlives the killed drill");
        var volume = Assert.Single(world.Ec2.Volumes(), v => v.SnapshotId == hold.SnapshotId);
        log.WriteLine($"left by the killed drill: {volume.VolumeId}, attached as {volume.Attachment?.LocalDevice}");
        return volume.VolumeId;
    }

    /// <summary>What a drill must not change on its snapshot: state, tags, and the image it was made from.</summary>
    private string SnapshotState(string snapshotId)
    {
        var snapshot = world.Ec2.Snapshot(snapshotId)!;
        var image = new FileInfo(world.Disks.PathOf(world.Ec2.SnapshotImage(snapshotId)!.To));
        var tags = string.Join(",", snapshot.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        return $"{snapshot.State} [{tags}] {image.Length} bytes, written {image.LastWriteTimeUtc:O}";
    }
}
