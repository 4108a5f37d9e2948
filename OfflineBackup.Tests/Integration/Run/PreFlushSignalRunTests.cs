using OfflineBackup.MySql;
using OfflineBackup.Pipeline;

namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// The real binary signalled while it pre-flushes the real replica: SIGTERM puts the dirty-page
/// limits back before it exits, and after SIGKILL the next run does. The run is kept inside the
/// pre-flush by the server itself: a writer on the replica keeps hundreds of pages dirty, so the
/// pre-flush never reaches "few left" and its timeout is long; only its "no longer falling" rule
/// (5 s without a new low, counted from its first read, which comes before the line the test
/// waits for) could end it. That the signal landed inside the pre-flush is asserted, not assumed:
/// the log never says "pre-flush done". The stop command is held and skipped all the same, so
/// even a run that got past the pre-flush never stops the shared replica.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class PreFlushSignalRunTests(MariaDbPairFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly FlushLimits Before = new(66.5, 9);
    private FlushLimits? _defaults;

    public async Task InitializeAsync()
    {
        await fixture.Pair.ResetToHealthyAsync(CancellationToken.None);
        _defaults = await MySqlInnoDbServerTests.LimitsAsync(fixture.Pair);
        await SetLimitsAsync(Before);
    }

    public async Task DisposeAsync()
    {
        await fixture.Pair.ResetToHealthyAsync(CancellationToken.None);
        await SetLimitsAsync(_defaults!);
    }

    [Theory]
    [InlineData(Signals.Term)]
    [InlineData(Signals.Kill)]
    public async Task The_real_binary_signalled_during_the_pre_flush_leaves_the_limits_as_they_were(int signal)
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with { PreFlushTimeoutSeconds = 600 });
        using var stop = new FileGate(world.Files.Directory, "stop");
        var skip = Path.Combine(world.Files.Directory, "skip-stop");
        string? stopCommand = null;
        await world.RewriteAsync(c =>
        {
            stopCommand = c.StopCommand;
            return c with { StopCommand = $"{stop.Hold}; [ -e '{skip}' ] || {{ {c.StopCommand}; }}" };
        });
        var upBefore = await UptimeAsync();
        try
        {
            await using (var writer = await DirtyingWriter.StartAsync(fixture.Pair.Replica, dirty: 400, Patience))
            {
                using var child = world.StartTool("run");
                await child.WaitForAsync(() => world.Files.ReadLog().Contains("pre-flush started", StringComparison.Ordinal), Patience);
                child.Signal(signal);
                var exit = await child.WaitAsync(Patience);

                var log = world.Files.ReadLog();
                Assert.True(!log.Contains("pre-flush done", StringComparison.Ordinal), $"the signal came after the pre-flush (writer: {writer.Statements} updates)\n{log}");
                Assert.DoesNotContain("stopping MySQL", log);
                if (signal == Signals.Term)
                {
                    Assert.True(exit == ExitCodes.Terminated, $"exit {exit}\n{child}");
                    Assert.Contains("interrupted", child.StandardError);
                    Assert.Equal(Before, await LimitsNowAsync());
                    Assert.False(File.Exists(world.Files.Journal));
                    Assert.True(await world.ReplicationRunsAsync());
                    Assert.True(await UptimeAsync() >= upBefore, "MySQL restarted");
                    return;
                }

                // Killed: nothing ran on the way out, so the limits are still lowered and the journal says so.
                Assert.Equal(FlushLimits.FlushEverything, await LimitsNowAsync());
                Assert.Equal(Before, new RunJournal(world.Files.Journal).Read()!.Changed!.FlushLimits);
            }

            // The writer has stopped: the next run pre-flushes quickly and makes a whole backup.
            await world.RewriteAsync(c => c with { StopCommand = stopCommand! });

            var next = await world.Cli.RunAsync("run");

            Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
            Assert.Contains("recovered from interrupted run", next.Error);
            Assert.Contains("innodb_max_dirty_pages_pct=66.5 innodb_max_dirty_pages_pct_lwm=9 as before", next.Error + world.Files.ReadLog());
            Assert.Equal(Before, await LimitsNowAsync());
            Assert.False(File.Exists(world.Files.Journal));
            Assert.True(await world.ReplicationRunsAsync());
        }
        finally
        {
            File.WriteAllText(skip, string.Empty);
        }
    }

    private Task<FlushLimits> LimitsNowAsync() => MySqlInnoDbServerTests.LimitsAsync(fixture.Pair);

    private Task SetLimitsAsync(FlushLimits limits) =>
        new MySqlInnoDbServer(fixture.Pair.MonitorSettings()).SetLimitsAsync(limits, CancellationToken.None);

    private async Task<long> UptimeAsync() =>
        (await new MySqlInnoDbServer(fixture.Pair.MonitorSettings()).ReadAsync(CancellationToken.None)).Uptime.Ticks;
}
