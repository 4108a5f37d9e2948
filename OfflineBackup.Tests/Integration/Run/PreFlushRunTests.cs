namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// The pre-flush and the clean shutdown against the real MariaDB pair: the replica's dirty-page
/// limits are the same after a run as before it, on success, on a refusal after the pre-flush,
/// on a signal and after a kill; a slow-only shutdown is refused before anything is stopped.
/// The replica starts each test with limits of its own (not the defaults), so that putting back
/// the defaults, or leaving a restart to do it, would be caught.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class PreFlushRunTests(MariaDbPairFixture fixture) : PreFlushLimitsTests(fixture.Pair, new FlushLimits(77.5, 12))
{
    [Fact]
    public async Task A_good_run_pre_flushes_stops_cleanly_and_leaves_the_limits_as_they_were()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);

        var run = await world.Cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal(Before, await LimitsNowAsync());
        var log = world.Files.ReadLog();
        Assert.Contains("pre-flush started", log);
        Assert.Contains("pre-flush done", log);
        Assert.Contains("dirty pages at the stop", log);
        Assert.Contains("confirms a clean shutdown", log);
        // Set by SET GLOBAL only, the originals are gone after the restart; the run puts them back.
        Assert.Contains("MySQL restarted since the pre-flush but reads", log);
        Assert.Single(world.Ec2.Snapshots());
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task Limits_from_the_servers_own_configuration_come_back_with_the_restart_which_the_run_checks()
    {
        // The server's configured values: a restart alone brings them back, as nothing was persisted.
        await SetLimitsAsync(Defaults);
        await using var world = await TestWorld.StartAsync(fixture.Pair);

        var run = await world.Cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var log = world.Files.ReadLog();
        Assert.Contains("MySQL restarted since the pre-flush", log);
        Assert.Contains("are back by themselves (never persisted)", log);
        Assert.DoesNotContain("put back innodb_max_dirty_pages_pct", log);
        Assert.Equal(Defaults, await LimitsNowAsync());
    }

    [Fact]
    public async Task A_shutdown_that_is_not_clean_is_a_failed_backup_with_mysql_started_again()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        // The stop command kills the server: it is down, but its error log never says the shutdown completed.
        await world.RewriteAsync(c => c with { StopCommand = world.Pair.Replica.CrashCommand });

        var run = await world.Cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.StopTimedOut, run.ToString());
        Assert.Contains("MySQL stopped without a clean shutdown", run.Error);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.True(await fixture.Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.Equal(Before, await LimitsNowAsync());
        Assert.False(File.Exists(world.Files.Journal));
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task A_slow_only_shutdown_setting_is_refused_before_anything_is_stopped()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        await fixture.Pair.Replica.ExecuteAsync("SET GLOBAL innodb_fast_shutdown = 2", CancellationToken.None);

        var check = await world.Cli.RunAsync("check");
        var run = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.ReplicaUnhealthy, check.ExitCode);
        Assert.Contains("innodb_fast_shutdown is 2", check.Output + check.Error);
        Assert.True(run.ExitCode == ExitCodes.ReplicaUnhealthy, run.ToString());
        Assert.Contains("SET GLOBAL innodb_fast_shutdown = 1", run.Error);
        Assert.DoesNotContain("stopping replication", world.Files.ReadLog());
        Assert.Empty(world.Ec2.Snapshots());
        Assert.Equal(Before, await LimitsNowAsync());
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task A_refusal_after_the_pre_flush_puts_the_limits_back_and_never_stops_mysql()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        using var gate = new Gate();
        var cli = world.GatedCli(gate);

        var running = cli.RunAsync("run");
        await gate.ReachedAsync(Patience, world.Files.ReadLog);
        Assert.Equal(FlushLimits.FlushEverything, await LimitsNowAsync());
        // A DBA switches to a slow-only shutdown while the pre-flush runs: the check just before the stop refuses.
        await fixture.Pair.Replica.ExecuteAsync("SET GLOBAL innodb_fast_shutdown = 2", CancellationToken.None);
        gate.Release();
        var run = await running;

        Assert.True(run.ExitCode == ExitCodes.ReplicaUnhealthy, run.ToString());
        Assert.Contains("innodb_fast_shutdown is 2", run.Error);
        Assert.Equal(Before, await LimitsNowAsync());
        Assert.DoesNotContain("stopping MySQL", world.Files.ReadLog());
        Assert.Empty(world.Ec2.Snapshots());
        Assert.False(File.Exists(world.Files.Journal));
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task A_run_interrupted_during_the_pre_flush_puts_the_limits_back()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        using var gate = new Gate();
        using var signal = new CancellationTokenSource();
        var cli = world.GatedCli(gate);

        var running = cli.RunCancellableAsync(signal.Token, "run");
        await gate.ReachedAsync(Patience, world.Files.ReadLog);
        Assert.Equal(FlushLimits.FlushEverything, await LimitsNowAsync());
        await signal.CancelAsync();
        var run = await running;

        Assert.True(run.ExitCode is ExitCodes.Interrupted or ExitCodes.Terminated, run.ToString());
        Assert.Contains("interrupted", run.Error);
        Assert.Equal(Before, await LimitsNowAsync());
        Assert.DoesNotContain("stopping MySQL", world.Files.ReadLog());
        Assert.False(File.Exists(world.Files.Journal));
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task A_pre_flush_that_cannot_finish_gives_up_at_its_timeout_and_the_run_goes_on()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with { PreFlushTimeoutSeconds = 1 });
        var innoDb = new NeverCleanInnoDb(new MySqlInnoDbServer(fixture.Pair.MonitorSettings()));
        var cli = new CliHarness(world.Files, new TestAdapters { InnoDb = innoDb });

        var run = await cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("gave up after the timeout of 1s", world.Files.ReadLog());
        Assert.Single(world.Ec2.Snapshots());
        Assert.Equal(Before, await LimitsNowAsync());
    }

    [Theory]
    [InlineData(Signals.Term)]
    [InlineData(Signals.Kill)]
    public async Task The_real_binary_signalled_with_the_limits_lowered_leaves_them_as_they_were(int signal)
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        // Held at the stop command, after the pre-flush: the limits are lowered, MySQL still runs.
        // The held command stops MySQL only if the test has not said to skip it, so no orphan of
        // a killed run stops the shared replica later.
        using var stop = new FileGate(world.Files.Directory, "stop");
        var skip = Path.Combine(world.Files.Directory, "skip-stop");
        await world.RewriteAsync(c => c with { StopCommand = $"{stop.Hold}; [ -e '{skip}' ] || {{ {ServiceCommands.Stop(world.Pair.Replica)}; }}" });
        try
        {
            using (var child = world.StartTool("run"))
            {
                await child.WaitForAsync(() => stop.IsReached, Patience);
                Assert.Equal(FlushLimits.FlushEverything, await LimitsNowAsync());
                child.Signal(signal);
                var exit = await child.WaitAsync(Patience);
                if (signal == Signals.Term)
                {
                    Assert.True(exit == ExitCodes.Terminated, $"exit {exit}\n{child}");
                    Assert.Equal(Before, await LimitsNowAsync());
                    Assert.False(File.Exists(world.Files.Journal));
                    return;
                }
            }

            Assert.Equal(FlushLimits.FlushEverything, await LimitsNowAsync());
            Assert.NotNull(new RunJournal(world.Files.Journal).Read()!.Changed);
            await File.WriteAllTextAsync(skip, string.Empty);
            stop.Release();

            var next = await world.Cli.RunAsync("run");

            Assert.Contains("recovered from interrupted run", next.Error);
            Assert.Contains("innodb_max_dirty_pages_pct=77.5 innodb_max_dirty_pages_pct_lwm=12 as before", next.Error + world.Files.ReadLog());
            Assert.Equal(Before, await LimitsNowAsync());
            Assert.True(await world.ReplicationRunsAsync());
        }
        finally
        {
            File.WriteAllText(skip, string.Empty);
        }
    }


    /// <summary>The real InnoDB, with a buffer pool that never gets clean: dirty pages fall by one per read from far above "few".</summary>
    private sealed class NeverCleanInnoDb(IInnoDbServer real) : IInnoDbServer
    {
        private long _dirty = 1_000_000;

        public Task<InnoDbState> ReadAsync(CancellationToken cancellationToken) => real.ReadAsync(cancellationToken);

        public async Task<DirtyPages> ReadDirtyPagesAsync(CancellationToken cancellationToken)
        {
            var pages = await real.ReadDirtyPagesAsync(cancellationToken);
            return pages with { Dirty = Interlocked.Decrement(ref _dirty) };
        }

        public Task SetLimitsAsync(FlushLimits limits, CancellationToken cancellationToken) => real.SetLimitsAsync(limits, cancellationToken);

        public Task DumpBufferPoolNowAsync(CancellationToken cancellationToken) => real.DumpBufferPoolNowAsync(cancellationToken);
    }
}

/// <summary>The real InnoDB adapter whose first dirty-page read (the pre-flush's, after the limits were lowered) waits at a gate.</summary>
internal sealed class GatedInnoDb(IInnoDbServer real, Gate gate) : IInnoDbServer
{
    private int _reads;

    public Task<InnoDbState> ReadAsync(CancellationToken cancellationToken) => real.ReadAsync(cancellationToken);

    public async Task<DirtyPages> ReadDirtyPagesAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _reads) == 1)
        {
            // Released by the test, or by the run's cancellation as a real read would be.
            await gate.HoldAsync().WaitAsync(cancellationToken);
        }

        return await real.ReadDirtyPagesAsync(cancellationToken);
    }

    public Task SetLimitsAsync(FlushLimits limits, CancellationToken cancellationToken) => real.SetLimitsAsync(limits, cancellationToken);

    public Task DumpBufferPoolNowAsync(CancellationToken cancellationToken) => real.DumpBufferPoolNowAsync(cancellationToken);
}

internal static class GatedWorld
{
    /// <summary>The world's commands in-process, the pre-flush held at <paramref name="gate"/>.</summary>
    public static CliHarness GatedCli(this ToolWorld world, Gate gate) =>
        new(world.Files, new TestAdapters { InnoDb = new GatedInnoDb(new MySqlInnoDbServer(world.Pair.MonitorSettings()), gate) });
}
