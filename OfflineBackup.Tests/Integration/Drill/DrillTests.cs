using System.Globalization;
using System.Text.Json;

namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>
/// <c>drill</c> end to end: the real binary's code in-process, the real SDK client, the EC2
/// double's real loop devices, a real throwaway mariadbd on the restored copy.
/// </summary>
[Collection(VolumePairCollection.Name)]
public sealed class DrillTests(VolumePairFixture world, ITestOutputHelper log) : HealthyPairTests(world.Pair)
{
    [Fact]
    public async Task Run_then_drill_finds_the_rows_written_on_the_primary_before_the_backup_and_leaves_nothing()
    {
        var rowId = await world.Pair.WriteOnPrimaryAsync("written on the primary before the backup", CancellationToken.None);
        await world.Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        var rows = Convert.ToInt64(await world.Pair.Primary.ScalarAsync($"SELECT COUNT(*) FROM {MariaDbReplicationPair.WritesTable}", CancellationToken.None), CultureInfo.InvariantCulture);
        using var cli = await DrillHarness.CreateAsync(world, clock: new ShiftedClock(TimeSpan.FromDays(2)));
        var metrics = cli.Files.Path("offline_backup.prom");
        await (DrillHarness.Config(world, cli) with { MetricsTextfile = metrics }).WriteAsync(cli.ConfigPath, CancellationToken.None);

        var run = await cli.RunAsync("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        await world.Pair.WriteOnPrimaryAsync("written after the backup", CancellationToken.None);
        var drill = await cli.RunAsync("drill", "--json");

        log.WriteLine(drill.ToString());
        Assert.True(drill.ExitCode == 0, drill.ToString());
        using var json = JsonDocument.Parse(drill.Output);
        var report = json.RootElement;
        Assert.True(report.GetProperty("passed").GetBoolean());
        var snapshotId = report.GetProperty("snapshot").GetString()!;
        Assert.Contains(snapshotId, run.Output, StringComparison.Ordinal);
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("detail").GetString()!);
        Assert.Equal(rows.ToString(CultureInfo.InvariantCulture), checks[$"rows of {MariaDbReplicationPair.WritesTable}"]);
        Assert.StartsWith("CHECK TABLE ... QUICK: all ", checks["tables open"], StringComparison.Ordinal);
        Assert.Matches("^gtid_slave_pos [0-9]+-[0-9]+-[0-9]+", checks["replication position"]);
        Assert.True(report.GetProperty("restore_seconds").GetDouble() > 0);
        Assert.Equal(
            ["create volume", "attach", "mount", "start server", "checks", "stop server", "unmount", "detach and delete"],
            report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(report.GetProperty("steps").EnumerateArray(), s => Assert.True(s.GetProperty("succeeded").GetBoolean()));
        Assert.Equal("passed", world.Ec2.Snapshot(snapshotId)!.Tags[ToolTags.LastDrillResult]);
        Assert.True(world.Ec2.Snapshot(snapshotId)!.Tags.ContainsKey(ToolTags.LastPassedDrill));
        Assert.True(await world.Pair.ReplicaHasRowAsync(rowId, CancellationToken.None));
        await Promtool.AssertValidMetricsAsync(metrics);
        var written = await File.ReadAllTextAsync(metrics);
        Assert.Matches(@"(?m)^offline_backup_last_drill_success\{[^}]*\} 1$", written);
        Assert.Matches(@"(?m)^offline_backup_last_drill_restore_seconds\{[^}]*\} [0-9.]+", written);
        Assert.Matches(@"(?m)^offline_backup_last_run_exit_code\{[^}]*command=""drill""[^}]*\} 0$", written);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task A_damaged_snapshot_fails_the_drill_with_its_code_naming_the_check_and_still_cleans_up()
    {
        await world.Pair.WriteOnPrimaryAsync("a row in the table about to be damaged", CancellationToken.None);
        await world.Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        using var cli = await DrillHarness.CreateAsync(world);
        var snapshotId = await DrillWorld.SnapshotAsync(world);
        await DrillWorld.DamageAsync(world, snapshotId, "data/sandbox/writes.ibd", cli.Files.Directory);

        var drill = await cli.RunAsync("drill", "--snapshot", snapshotId);

        log.WriteLine(drill.ToString());
        Assert.Equal(ExitCodes.DrillFailed, drill.ExitCode);
        Assert.Matches($"exit 15 .*: {snapshotId} failed: (check tables open: .*sandbox.writes|start server: )", drill.Error);
        Assert.StartsWith("failed: ", world.Ec2.Snapshot(snapshotId)!.Tags[ToolTags.LastDrillResult], StringComparison.Ordinal);
        Assert.False(world.Ec2.Snapshot(snapshotId)!.Tags.ContainsKey(ToolTags.LastPassedDrill));
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task With_every_days_the_hourly_run_drills_the_new_snapshot_after_the_backup()
    {
        using var cli = await DrillHarness.CreateAsync(world, d => d with { EveryDays = 1 }, new ShiftedClock(TimeSpan.FromDays(4)));

        var run = await cli.RunAsync("run");

        log.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var snapshotId = world.Ec2.Snapshots().OrderBy(s => s.StartTime).Last().SnapshotId;
        Assert.Contains($"; drill of {snapshotId} passed; the server answered after ", run.Output, StringComparison.Ordinal);
        Assert.Equal("passed", world.Ec2.Snapshot(snapshotId)!.Tags[ToolTags.LastDrillResult]);
        DrillWorld.AssertNothingLeft(world, cli);
    }

    [Fact]
    public async Task A_good_backup_whose_scheduled_drill_fails_makes_the_run_exit_15_and_keeps_the_snapshot()
    {
        using var cli = new CliHarness(new TestAdapters(), new ShiftedClock(TimeSpan.FromDays(8)));
        var mysqld = cli.Files.Path("broken-mysqld");
        await File.WriteAllTextAsync(mysqld, "#!/bin/sh\necho 'cannot start' >&2\nexit 1\n");
        File.SetUnixFileMode(mysqld, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await DrillHarness.Config(world, cli, d => d with { EveryDays = 1, Mysqld = mysqld }).WriteAsync(cli.ConfigPath, CancellationToken.None);

        var run = await cli.RunAsync("run");

        log.WriteLine(run.ToString());
        Assert.Equal(ExitCodes.DrillFailed, run.ExitCode);
        var snapshotId = world.Ec2.Snapshots().OrderBy(s => s.StartTime).Last().SnapshotId;
        Assert.Equal("completed", world.Ec2.Snapshot(snapshotId)!.State);
        Assert.Matches($"offline-backup run: exit 15 \\(.*\\): .*{snapshotId}.*; drill of {snapshotId} failed: start server: the throwaway server exited \\(1\\) before it answered", run.Error);
        Assert.StartsWith("failed: start server", world.Ec2.Snapshot(snapshotId)!.Tags[ToolTags.LastDrillResult], StringComparison.Ordinal);
        Assert.True(await world.Pair.IsReplicaUpAsync(CancellationToken.None));
        DrillWorld.AssertNothingLeft(world, cli);
    }
}
