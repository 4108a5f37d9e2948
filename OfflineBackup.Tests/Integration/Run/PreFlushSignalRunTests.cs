using OfflineBackup.MySql;
using OfflineBackup.Pipeline;
using OfflineBackup.Tests.Sandbox;

namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// The published binary signalled while it pre-flushes the real replica: SIGTERM puts the
/// dirty-page limits back before it exits, and after SIGKILL the next run does. The run is held
/// inside the pre-flush by a <see cref="QueryHoldProxy"/> between it and the replica: the first
/// dirty-page read after the limits went to 0 (the pre-flush's own first read) never reaches the
/// server until the test is done. So the run is there on an idle machine as on a loaded one, with
/// the originals journaled and the limits lowered, which the test sees before it signals.
/// The hold is never released while the binary lives: a signalled run must not wait on a read it
/// has abandoned (its undo opens connections of its own, which pass), and a release before the
/// signal is taken would let the run go on out of the pre-flush. That the signal landed inside
/// the pre-flush is asserted, not assumed: the log never says "pre-flush done" nor "stopping
/// MySQL". The stop command is held and skipped all the same, so even a run that got past the
/// pre-flush never stops the shared replica.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class PreFlushSignalRunTests(MariaDbPairFixture fixture) : PreFlushLimitsTests(fixture.Pair, new FlushLimits(66.5, 9))
{
    [Theory]
    [InlineData(Signals.Term)]
    [InlineData(Signals.Kill)]
    public async Task The_published_binary_signalled_during_the_pre_flush_leaves_the_limits_as_they_were(int signal)
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        world.Binary = (await PublishOnce.GetAsync()).Binary;
        var lowered = false;
        await using var proxy = QueryHoldProxy.Start(fixture.Pair.Replica.Host, fixture.Pair.Replica.Port, sql =>
        {
            lowered |= sql == "SET GLOBAL innodb_max_dirty_pages_pct = 0";
            return lowered && sql.Contains("'Innodb_buffer_pool_pages_dirty'", StringComparison.Ordinal);
        });
        using var stop = new FileGate(world.Files.Directory, "stop");
        var skip = Path.Combine(world.Files.Directory, "skip-stop");
        await world.RewriteAsync(c => c with
        {
            MySqlPort = proxy.Port,
            StopCommand = $"{stop.Hold}; [ -e '{skip}' ] || {{ {c.StopCommand}; }}",
        });
        var upBefore = await UptimeAsync();
        try
        {
            using (var child = world.StartTool("run"))
            {
                await child.WaitForAsync(() => proxy.Held.IsCompleted, Patience);
                Assert.Equal(FlushLimits.FlushEverything, await LimitsNowAsync());
                Assert.Equal(Before, new RunJournal(world.Files.Journal).Read()!.Changed!.FlushLimits);
                child.Signal(signal);
                var exit = await child.WaitAsync(Patience);

                var log = world.Files.ReadLog();
                Assert.DoesNotContain("pre-flush done", log);
                Assert.DoesNotContain("stopping MySQL", log);
                Assert.False(stop.IsReached, "the stop command ran");
                if (signal == Signals.Term)
                {
                    Assert.True(exit == ExitCodes.Terminated, $"exit {exit}\n{child}");
                    Assert.Contains("interrupted", child.StandardError);
                    Assert.Equal(Before, await LimitsNowAsync());
                    Assert.Contains("put back " + Before, log);
                    Assert.False(File.Exists(world.Files.Journal));
                    Assert.True(await world.ReplicationRunsAsync());
                    Assert.True(await UptimeAsync() >= upBefore, "MySQL restarted");
                    return;
                }

                // Killed: nothing ran on the way out, so the limits are still lowered and the journal says so.
                Assert.Equal(FlushLimits.FlushEverything, await LimitsNowAsync());
                var journal = new RunJournal(world.Files.Journal).Read()!;
                Assert.Equal(RunPhase.PreFlushing, journal.Phase);
                Assert.Equal(Before, journal.Changed!.FlushLimits);
            }

            // The next run, straight at the replica with its real stop command, recovers and makes a whole backup.
            await world.RewriteAsync(c => c);

            var next = await world.Cli.RunAsync("run");

            Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
            Assert.Contains("recovered from interrupted run", next.Error);
            Assert.Contains("innodb_max_dirty_pages_pct=66.5 innodb_max_dirty_pages_pct_lwm=9 as before", next.Error + world.Files.ReadLog());
            Assert.Equal(Before, await LimitsNowAsync());
            Assert.False(File.Exists(world.Files.Journal));
            Assert.Single(world.Ec2.Snapshots());
            Assert.True(await world.ReplicationRunsAsync());
        }
        finally
        {
            File.WriteAllText(skip, string.Empty);
        }
    }

    private async Task<long> UptimeAsync() =>
        (await new MySqlInnoDbServer(fixture.Pair.MonitorSettings()).ReadAsync(CancellationToken.None)).Uptime.Ticks;
}
