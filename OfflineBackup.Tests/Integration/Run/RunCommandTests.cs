namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// Whole `run` invocations (in-process, real parser) against the real MariaDB replica, stopped
/// and started with real commands, and the real AWS SDK talking to the EC2 double: the paths
/// where the backup is taken.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RunCommandTests(MariaDbPairFixture fixture)
{
    [Fact]
    public async Task A_due_run_snapshots_a_stopped_replica_and_brings_everything_back()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        var writtenWhileDown = new List<long>();
        world.OnCreateSnapshot(async (request, token) =>
        {
            writtenWhileDown.Add(await world.Pair.WriteOnPrimaryAsync("written while the replica is down", token));
        });

        var result = await world.Cli.RunAsync("run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var snapshot = Assert.Single(world.Ec2.Snapshots());
        Assert.Equal("completed", snapshot.State);
        Assert.Contains(snapshot.SnapshotId, result.Output);
        Assert.Contains("MySQL down", result.Output);
        Assert.Equal("", result.Error);
        Assert.Equal([true], world.PortClosedAtCreate);
        Assert.True(await world.Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        await world.Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        Assert.True(await world.Pair.ReplicaHasRowAsync(Assert.Single(writtenWhileDown), CancellationToken.None));
        Assert.Equal(ToolTags.CreatedByValue, snapshot.Tags[ToolTags.CreatedBy]);
        Assert.Equal("pro-sql-test-", snapshot.Tags[ToolTags.Name][..13]);
        Assert.False(File.Exists(world.Cli.JournalFile));
        Assert.Empty(world.Ec2.ServerErrors);
        Assert.Matches("timings stop_ms=\\d+ create_ms=\\d+ wait_ms=\\d+ start_ms=\\d+ replication_ms=\\d+ down_ms=\\d+", world.Cli.ReadLog());
    }

    [Fact]
    public async Task A_good_run_applies_retention_to_our_expired_snapshots_only()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with { MinKeep = 1 });
        var old = DateTimeOffset.UtcNow.AddDays(-5);
        world.Ec2.Seed(
            OurSnapshots.Seed(world.Config.Instance, "snap-0000000000000000e", old, "old-run"),
            new SnapshotSeed("snap-0000000000000000f", world.Config.VolumeId, old.AddHours(-1))
            {
                State = "completed",
                Progress = "100%",
                Tags = new Dictionary<string, string> { ["Name"] = "taken by hand before an upgrade" },
            });

        var result = await world.Cli.RunAsync("run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("retention deleted 1", result.Output);
        var left = world.Ec2.Snapshots().Select(s => s.SnapshotId).ToList();
        Assert.DoesNotContain("snap-0000000000000000e", left);
        Assert.Contains("snap-0000000000000000f", left);
        Assert.Equal(2, left.Count);
    }

    [Fact]
    public async Task The_next_hourly_run_is_not_due_and_prints_nothing()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        Assert.Equal(ExitCodes.Success, (await world.Cli.RunAsync("run")).ExitCode);
        world.Ec2.Calls.Clear();

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.NotDue, result.ExitCode);
        Assert.Equal("", result.Output + result.Error);
        Assert.Equal(1, world.Ec2.Calls.Count("DescribeSnapshots"));
        Assert.Single(world.Ec2.Calls.All);
        Assert.Contains("not due", world.Cli.ReadLog());
        var verbose = await world.Cli.RunAsync("run", "--verbose");
        Assert.Contains("not due", verbose.Output);
    }

    [Fact]
    public async Task A_not_due_run_reads_the_replica_once_over_one_connection()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        var young = DateTimeOffset.UtcNow.AddHours(-1);
        world.Ec2.Seed(new SnapshotSeed("snap-0000000000000000a", OfflineBackup.Tests.Support.TestSettings.VolumeId, young)
        {
            State = "completed",
            Progress = "100%",
        });
        var counters = new OfflineBackup.Bench.MySqlCounters(fixture.Pair.Replica);
        await counters.CalibrateAsync(CancellationToken.None);

        var before = await counters.ReadAsync(CancellationToken.None);
        var result = await world.Cli.RunAsync("run");
        var moved = counters.Delta(before, await counters.ReadAsync(CancellationToken.None));

        Assert.True(result.ExitCode == ExitCodes.NotDue, result.ToString());
        Assert.Equal(1, moved.GetValueOrDefault("Connections"));
        Assert.Equal(1, moved.GetValueOrDefault("Com_show_slave_status"));
    }

    [Fact]
    public async Task Restart_after_pending_starts_mysql_without_waiting_for_completion()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with { RestartAfter = "pending" });
        world.Ec2.Completion = SnapshotCompletion.Manual;

        var result = await world.Cli.RunAsync("run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal("pending", Assert.Single(world.Ec2.Snapshots()).State);
        Assert.Equal([true], world.PortClosedAtCreate);
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task Replication_is_restored_when_the_server_comes_back_without_it()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        await world.Pair.SetReplicaSkipSlaveStartAsync(true, CancellationToken.None);

        var result = await world.Cli.RunAsync("run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task Dry_run_evaluates_for_real_and_touches_nothing()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);

        var result = await world.Cli.RunAsync("run", "--dry-run");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("a real run would now", result.Output);
        Assert.Contains(ServiceCommands.Stop(world.Pair.Replica), result.Output);
        Assert.Contains("offline-backup:run-id", result.Output);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.Equal(0, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        Assert.True(world.Ec2.Calls.Count("CreateSnapshot", dryRun: true) >= 1);
        Assert.Empty(world.PortClosedAtCreate);
        Assert.DoesNotContain(MariaDbReplicationPair.MonitorPassword, result.Output + result.Error + world.Cli.ReadLog());
    }
}
