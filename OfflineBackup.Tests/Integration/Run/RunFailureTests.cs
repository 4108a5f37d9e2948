namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// Whole `run` invocations where something goes wrong: each ends with MySQL running, the right
/// exit code, and never an untagged or duplicate snapshot.
/// </summary>
[Collection(MariaDbRunFaultsCollection.Name)]
public sealed class RunFailureTests(MariaDbPairFixture fixture)
{
    [Fact]
    public async Task A_failed_run_never_applies_retention()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with { MinKeep = 1 });
        var old = DateTimeOffset.UtcNow.AddDays(-5);
        world.Ec2.Seed(OurSnapshots.Seed(world.Config.Instance, "snap-0000000000000000e", old, "old-run"));
        world.Ec2.Completion = SnapshotCompletion.Manual;
        var failer = Task.Run(async () =>
        {
            for (var i = 0; i < 400 && !world.Ec2.Snapshots().Any(s => s.State == "pending"); i++)
            {
                await Task.Delay(25);
            }

            foreach (var pending in world.Ec2.Snapshots().Where(s => s.State == "pending"))
            {
                world.Ec2.Fail(pending.SnapshotId);
            }
        });

        var result = await world.Cli.RunAsync("run");
        await failer;

        Assert.Equal(ExitCodes.SnapshotFailed, result.ExitCode);
        Assert.Equal(0, world.Ec2.Calls.Count("DeleteSnapshot", dryRun: false));
        Assert.NotNull(world.Ec2.Snapshot("snap-0000000000000000e"));
    }

    [Fact]
    public async Task A_snapshot_that_ends_in_error_starts_mysql_and_exits_8()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        world.Ec2.Completion = SnapshotCompletion.Manual;
        using var failer = new CancellationTokenSource();
        var failing = Task.Run(async () =>
        {
            while (!failer.IsCancellationRequested)
            {
                foreach (var pending in world.Ec2.Snapshots().Where(s => s.State == "pending"))
                {
                    world.Ec2.Fail(pending.SnapshotId, "Internal error while copying blocks");
                }

                await Task.Delay(50);
            }
        });

        var result = await world.Cli.RunAsync("run");
        await failer.CancelAsync();
        await failing;

        Assert.Equal(ExitCodes.SnapshotFailed, result.ExitCode);
        Assert.Contains("error", result.Error);
        Assert.True(await world.Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task Throttled_creation_is_retried_into_exactly_one_snapshot()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        // The first CreateSnapshot is the DryRun probe of the permission guard; inject the
        // throttling for the real calls only, from the hook that sees them.
        var injected = false;
        world.OnCreateSnapshot((_, _) =>
        {
            if (!injected)
            {
                injected = true;
                world.Ec2.Faults.FailNext("CreateSnapshot", 1, Ec2Fault.SnapshotCreationPerVolumeRateExceeded());
                world.Ec2.Faults.FailNext("CreateSnapshot", 3, Ec2Fault.RequestLimitExceeded());
            }
            return Task.CompletedTask;
        });

        var result = await world.Cli.RunAsync("run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var snapshot = Assert.Single(world.Ec2.Snapshots());
        Assert.Equal(ToolTags.CreatedByValue, snapshot.Tags[ToolTags.CreatedBy]);
        Assert.Equal(0, world.Ec2.Calls.Count("CreateTags"));
        Assert.True(world.Ec2.Calls.Count("CreateSnapshot", dryRun: false) >= 5);
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task Persistent_server_errors_exit_8_with_mysql_running_and_no_snapshot()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        world.OnCreateSnapshot((_, _) =>
        {
            world.Ec2.Faults.FailAlways("CreateSnapshot", Ec2Fault.InternalError());
            return Task.CompletedTask;
        });

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.SnapshotFailed, result.ExitCode);
        await AssertNothingTakenAndMySqlBackAsync(world);
        // Each retry looked for a snapshot of this run first: never a blind second create.
        Assert.True(world.Ec2.Calls.Count("DescribeSnapshots") >= 2);
    }

    [Fact]
    public async Task Denied_create_snapshot_refuses_before_anything_is_stopped()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        world.Ec2.Faults.Deny("CreateSnapshot");

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        Assert.Contains("CreateSnapshot", result.Error);
        Assert.Empty(world.PortClosedAtCreate);
        Assert.Equal(0, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
    }

    [Fact]
    public async Task Denied_after_the_stop_starts_mysql_and_exits_11()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        world.OnCreateSnapshot((_, _) =>
        {
            world.Ec2.Faults.Deny("CreateSnapshot");
            return Task.CompletedTask;
        });

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        await AssertNothingTakenAndMySqlBackAsync(world);
    }

    /// <summary>A stop command that fails, and one that hangs until it is killed at stop_timeout_seconds.</summary>
    [Theory]
    [InlineData("echo 'Failed to stop mysql.service: Access denied' >&2; exit 1", 30, "Access denied")]
    [InlineData("sleep 600", 2, "did not finish within 2s")]
    public async Task A_stop_command_that_fails_or_hangs_takes_no_snapshot_and_exits_7(string stop, int timeoutSeconds, string said)
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with { StopCommand = stop, StopTimeoutSeconds = timeoutSeconds });

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.StopTimedOut, result.ExitCode);
        Assert.Contains(said, result.Error);
        await AssertNothingTakenAndMySqlBackAsync(world);
    }

    [Fact]
    public async Task A_start_command_that_fails_exits_9_and_says_the_database_is_down()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with { StartCommand = "echo 'Job for mysql.service failed' >&2; exit 1" });

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.StartFailed, result.ExitCode);
        Assert.Single(result.Error.Split('\n'), line => line.Contains("THE DATABASE IS DOWN", StringComparison.Ordinal));
        Assert.Contains("Job for mysql.service failed", result.Error);
        Assert.Contains("MySQL still DOWN", result.Error);
        Assert.DoesNotContain("MySQL down 0", result.Error);
        Assert.Contains("THE DATABASE IS DOWN", world.Cli.ReadLog());
        Assert.True(File.Exists(world.Cli.JournalFile));
        Assert.False(await world.Pair.IsReplicaUpAsync(CancellationToken.None));

        // The next run, with a working start command, recovers from the journal.
        await world.RewriteAsync(c => c);
        var next = await world.Cli.RunAsync("run");
        Assert.Contains("recovered from interrupted run", next.Error);
        Assert.True(await world.Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Single(world.Ec2.Snapshots());
    }

    [Fact]
    public async Task A_missing_privilege_refuses_before_anything_is_stopped()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        await world.UseUserWithoutReplicationAdminAsync();

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        Assert.Contains("REPLICATION SLAVE ADMIN", result.Error);
        Assert.Empty(world.PortClosedAtCreate);
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task A_writable_server_is_never_stopped()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        await world.Pair.SetReadOnlyAsync(world.Pair.Replica, false, CancellationToken.None);

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.ReplicaUnhealthy, result.ExitCode);
        Assert.Contains("writable", result.Error);
        Assert.Empty(world.PortClosedAtCreate);
        Assert.True(await world.Pair.IsReplicaUpAsync(CancellationToken.None));
    }

    /// <summary>What a run that failed once MySQL was stopped must leave: no snapshot, MySQL up and replicating again.</summary>
    private static async Task AssertNothingTakenAndMySqlBackAsync(ToolWorld world)
    {
        Assert.Empty(world.Ec2.Snapshots());
        Assert.True(await world.Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
    }
}
