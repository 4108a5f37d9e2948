namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>
/// Drills that cannot finish: each wait bounded by its timeout, an interruption in a phase, and
/// what a killed drill left, removed by the next one. Every test ends with nothing of the drill left.
/// </summary>
[Collection(VolumePairCollection.Name)]
public sealed class DrillFailureTests(VolumePairFixture world, ITestOutputHelper log)
{
    [Fact]
    public async Task A_volume_that_never_becomes_available_times_out_and_the_next_drill_removes_it()
    {
        using var cli = await DrillHarness.CreateAsync(world, d => d with { VolumeTimeoutSeconds = 2 });
        var snapshotId = await DrillWorld.SnapshotAsync(world);
        world.Ec2.HoldNewVolumes = true;
        CliResult failed;
        try
        {
            failed = await cli.RunAsync("drill", "--snapshot", snapshotId);
        }
        finally
        {
            world.Ec2.HoldNewVolumes = false;
        }

        log.WriteLine(failed.ToString());
        Assert.Equal(ExitCodes.DrillFailed, failed.ExitCode);
        Assert.Matches("failed: create volume: volume (vol-[0-9a-f]+) was not available after 2 s \\(state creating\\)", failed.Error);
        var stuck = world.Ec2.Volumes().Single(v => v.SnapshotId == snapshotId);
        Assert.True(File.Exists(Path.Combine(cli.Files.Path("drill"), "drill.json")), "the journal must keep the volume it could not delete");

        // The next drill with the default volume timeout: 2 s was for the held volume only, and a
        // real one may take longer than that to come up on a loaded machine.
        world.Ec2.ReleaseVolume(stuck.VolumeId);
        await DrillHarness.Config(world, cli).WriteAsync(cli.ConfigPath, CancellationToken.None);
        var next = await cli.RunAsync("drill", "--snapshot", snapshotId);

        log.WriteLine(next.ToString());
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains($"an interrupted drill", next.Error, StringComparison.Ordinal);
        Assert.Contains($"deleted volume {stuck.VolumeId}", next.Error, StringComparison.Ordinal);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task A_CreateVolume_that_EC2_refuses_fails_the_drill_with_that_refusal_and_leaves_no_journal()
    {
        using var cli = await DrillHarness.CreateAsync(world, d => d);
        var snapshotId = await DrillWorld.SnapshotAsync(world);
        world.Ec2.Faults.FailNext("CreateVolume", 1, new Ec2Fault(400, "VolumeLimitExceeded", "You have exceeded your maximum gp3 storage limit."));

        var failed = await cli.RunAsync("drill", "--snapshot", snapshotId);

        log.WriteLine(failed.ToString());
        Assert.Equal(ExitCodes.DrillFailed, failed.ExitCode);
        Assert.Contains("VolumeLimitExceeded", failed.Error, StringComparison.Ordinal);

        // A plain refusal made nothing: no "answer lost", and nothing for the next drill to look for.
        Assert.DoesNotContain("lost", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Ec2.Volumes(), v => v.SnapshotId == snapshotId);
        Assert.False(File.Exists(Path.Combine(cli.Files.Path("drill"), "drill.json")), "a refused CreateVolume leaves nothing to clean up later");
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task A_device_that_never_appears_times_out_and_the_volume_is_detached_and_deleted()
    {
        using var cli = new CliHarness(new TestAdapters());
        var config = DrillHarness.Config(world, cli, d => d with { DeviceTimeoutSeconds = 1 });
        await (config with { DeviceDirectory = cli.Files.Path("no-devices-here") }).WriteAsync(cli.ConfigPath, CancellationToken.None);
        var snapshotId = await DrillWorld.SnapshotAsync(world);

        var failed = await cli.RunAsync("drill", "--snapshot", snapshotId);

        log.WriteLine(failed.ToString());
        Assert.Equal(ExitCodes.DrillFailed, failed.ExitCode);
        Assert.Matches("failed: attach: volume vol-[0-9a-f]+ is attached but no device appeared as .* within 1 s", failed.Error);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_is_stopped_and_everything_is_removed()
    {
        using var cli = new CliHarness(new TestAdapters());
        var mysqld = Script(cli, "hung-mysqld", "exec sleep 600");
        await DrillHarness.Config(world, cli, d => d with { Mysqld = mysqld, StartTimeoutSeconds = 2 }).WriteAsync(cli.ConfigPath, CancellationToken.None);
        var snapshotId = await DrillWorld.SnapshotAsync(world);

        var failed = await cli.RunAsync("drill", "--snapshot", snapshotId);

        log.WriteLine(failed.ToString());
        Assert.Equal(ExitCodes.DrillFailed, failed.ExitCode);
        Assert.Contains("failed: start server: the throwaway server did not answer within 2 s", failed.Error, StringComparison.Ordinal);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task Interrupted_while_the_server_starts_the_drill_cleans_up_before_it_exits()
    {
        using var cli = new CliHarness(new TestAdapters());
        var started = cli.Files.Path("server-started");
        var mysqld = Script(cli, "gated-mysqld", $"echo $$ > {started}; exec sleep 600");
        await DrillHarness.Config(world, cli, d => d with { Mysqld = mysqld }).WriteAsync(cli.ConfigPath, CancellationToken.None);
        var snapshotId = await DrillWorld.SnapshotAsync(world);
        using var interrupt = new CancellationTokenSource();

        var drill = cli.RunCancellableAsync(interrupt.Token, "drill", "--snapshot", snapshotId);
        await WaitForAsync(() => File.Exists(started) && new FileInfo(started).Length > 0, drill);
        Assert.True(HostMountsSay(cli), "the volume is mounted while the server starts");
        interrupt.Cancel();
        var result = await drill;

        log.WriteLine(result.ToString());
        // A cancelled invocation with no signal seen reads as SIGTERM's code (CommandSession).
        Assert.Equal(ExitCodes.Terminated, result.ExitCode);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task Interrupted_while_the_volume_is_being_created_the_drill_deletes_it_once_it_can()
    {
        using var cli = await DrillHarness.CreateAsync(world, d => d with { VolumeTimeoutSeconds = 60 });
        var snapshotId = await DrillWorld.SnapshotAsync(world);
        using var interrupt = new CancellationTokenSource();
        world.Ec2.HoldNewVolumes = true;
        Task<CliResult> drill;
        try
        {
            drill = cli.RunCancellableAsync(interrupt.Token, "drill", "--snapshot", snapshotId);
            await WaitForAsync(() => world.Ec2.Volumes().Any(v => v.SnapshotId == snapshotId), drill);
            interrupt.Cancel();
        }
        finally
        {
            world.Ec2.HoldNewVolumes = false;
        }

        // EC2 deletes only an available volume: the clean-up waits for it, within its own limit.
        world.Ec2.ReleaseVolume(world.Ec2.Volumes().Single(v => v.SnapshotId == snapshotId).VolumeId);
        var result = await drill;

        log.WriteLine(result.ToString());
        // A cancelled invocation with no signal seen reads as SIGTERM's code (CommandSession).
        Assert.Equal(ExitCodes.Terminated, result.ExitCode);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    private static bool HostMountsSay(CliHarness cli) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Contains(cli.Files.Path("drill"), StringComparison.Ordinal));

    private static string Script(CliHarness cli, string name, string body)
    {
        var path = cli.Files.Path(name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Polls a condition the drill brings about; fails at once if the drill ends first.</summary>
    private static async Task WaitForAsync(Func<bool> condition, Task<CliResult> drill)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (drill.IsCompleted)
            {
                Assert.Fail($"the drill ended before the phase under test: {await drill}");
            }

            Assert.True(DateTime.UtcNow < limit, "the drill never reached the phase under test");
            await Task.Delay(20);
        }
    }
}
