using OfflineBackup.Commands;
using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Tests.Integration.MySql;
using OfflineBackup.Tests.Support;

namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// The real binary as a child process, interrupted in each phase of a run: SIGTERM must end
/// with MySQL running; SIGKILL must be repaired by the next run from the journal, without a
/// second snapshot for the killed run.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RunSignalTests(MariaDbPairFixture fixture)
{
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private MariaDbReplicationPair Pair => fixture.Pair;

    public enum Phase
    {
        Stop,
        SnapshotCall,
        CompletionWait,
    }

    [Theory]
    [InlineData(Phase.Stop, SigTerm, ExitCodes.Terminated)]
    [InlineData(Phase.SnapshotCall, SigTerm, ExitCodes.Terminated)]
    [InlineData(Phase.CompletionWait, SigTerm, ExitCodes.Terminated)]
    [InlineData(Phase.CompletionWait, SigInt, ExitCodes.Interrupted)]
    [InlineData(Phase.SnapshotCall, SigHup, ExitCodes.Terminated)]
    public async Task A_signal_in_any_phase_exits_with_mysql_running(Phase phase, int signal, int expected)
    {
        await using var world = await RunWorld.CreateAsync(Pair);
        var reached = Arrange(world, phase);
        using var child = CliProcess.Start(world.Cli.LogFile, "run", "--config", world.Cli.ConfigPath);

        await WaitFor(reached, child);
        child.Signal(signal);
        var exitCode = await child.WaitAsync(Patience);
        var upAtExit = await Pair.IsReplicaUpAsync(CancellationToken.None);

        Assert.True(exitCode == expected, $"exit {exitCode}\n{child}");
        Assert.True(upAtExit, "MySQL was down when the process exited");
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Cli.JournalFile));
        Assert.Contains("interrupted", child.Error);
    }

    [Theory]
    [InlineData(Phase.Stop)]
    [InlineData(Phase.SnapshotCall)]
    [InlineData(Phase.CompletionWait)]
    public async Task After_sigkill_in_any_phase_the_next_run_recovers(Phase phase)
    {
        await using var world = await RunWorld.CreateAsync(Pair);
        var reached = Arrange(world, phase);
        using (var child = CliProcess.Start(world.Cli.LogFile, "run", "--config", world.Cli.ConfigPath))
        {
            await WaitFor(reached, child);
            child.Signal(SigKill);
            await child.WaitAsync(Patience);
        }

        Assert.True(File.Exists(world.Cli.JournalFile), "a killed run leaves its journal");
        if (phase == Phase.Stop)
        {
            // The orphaned stop command finishes its work after the kill, as a systemctl job would.
            await WaitUntil(async () => !await Pair.IsReplicaUpAsync(CancellationToken.None));
        }

        var check = await world.Cli.RunAsync("check");
        Assert.Equal(ExitCodes.InterruptedRunPending, check.ExitCode);
        world.Ec2.OnCreateSnapshot = null;
        if (phase != Phase.Stop)
        {
            world.Ec2.Completion = SnapshotCompletion.Manual;
        }

        var next = await world.Cli.RunAsync("run");

        Assert.Contains("recovered from interrupted run", next.Error);
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Equal(phase == Phase.SnapshotCall, File.Exists(world.Cli.JournalFile));
        var snapshots = world.Ec2.Snapshots();
        if (phase == Phase.Stop)
        {
            // The killed run made no snapshot, so the recovering run is due and makes the one.
            Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
            Assert.Single(snapshots);
        }
        else if (phase == Phase.SnapshotCall)
        {
            // Killed with CreateSnapshot in flight: the recovering run cannot know yet whether
            // it lands, so it holds off instead of risking a second snapshot for that run.
            Assert.Equal(ExitCodes.SnapshotPending, next.ExitCode);
            Assert.Contains("may still land", next.Error);
            await WaitUntil(() => Task.FromResult(world.Ec2.Snapshots().Count == 1));
            var again = await world.Cli.RunAsync("run");
            Assert.Contains("adopted its snapshot", again.Error);
            Assert.Equal(ExitCodes.SnapshotPending, again.ExitCode);
            Assert.Single(world.Ec2.Snapshots());
            Assert.False(File.Exists(world.Cli.JournalFile));
        }
        else
        {
            // The killed run's snapshot was adopted: no second one, and it is still pending.
            var adopted = Assert.Single(snapshots);
            Assert.Contains(adopted.SnapshotId, next.Error);
            Assert.Equal(ExitCodes.SnapshotPending, next.ExitCode);
        }
    }

    [Fact]
    public async Task Sigterm_while_check_waits_on_a_hung_server_exits_143_at_once()
    {
        await using var world = await RunWorld.CreateAsync(Pair);
        await Pair.FreezeReplicaAsync(CancellationToken.None);
        try
        {
            using var child = CliProcess.Start(world.Cli.LogFile, "check", "--config", world.Cli.ConfigPath);
            await WaitUntil(() => Task.FromResult(File.Exists(world.Cli.LogFile) && File.ReadAllText(world.Cli.LogFile).Contains("guard journal", StringComparison.Ordinal)));
            child.Signal(SigTerm);

            Assert.Equal(ExitCodes.Terminated, await child.WaitAsync(Patience));
            Assert.Contains("interrupted", child.Error);
        }
        finally
        {
            await Pair.ThawReplicaAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Of_two_concurrent_runs_one_proceeds_and_the_other_exits_3()
    {
        await using var world = await RunWorld.CreateAsync(Pair);
        var marker = world.Cli.Directory.File("stopping");
        world.Rewrite(c => c with { StopCommand = $"touch {marker}; sleep 1; {ServiceCommands.Stop(Pair.Replica)}" });
        using var first = CliProcess.Start(world.Cli.LogFile, "run", "--config", world.Cli.ConfigPath);
        await WaitFor(() => File.Exists(marker), first);

        var second = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.Locked, second.ExitCode);
        Assert.Contains($"PID {first.Pid}", second.Error);
        Assert.Equal(ExitCodes.Success, await first.WaitAsync(Patience));
        Assert.Single(world.Ec2.Snapshots());
    }

    /// <summary>Sets the world up so the run pauses in the phase; returns how to see it got there.</summary>
    private static Func<bool> Arrange(RunWorld world, Phase phase)
    {
        switch (phase)
        {
            case Phase.Stop:
                var marker = world.Cli.Directory.File("stopping");
                world.Rewrite(c => c with { StopCommand = $"touch {marker}; sleep 2; {ServiceCommands.Stop(world.Pair.Replica)}" });
                return () => File.Exists(marker);
            case Phase.SnapshotCall:
                var arrived = false;
                world.Ec2.OnCreateSnapshot = async (_, _) =>
                {
                    arrived = true;

                    // Deliberately deaf to the client going away: EC2 carries out a request it
                    // received, whatever became of the caller.
                    await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
                };
                return () => arrived;
            default:
                world.Ec2.Completion = SnapshotCompletion.Manual;
                return () => world.Ec2.Snapshots().Any(s => s.State == "pending");
        }
    }

    private static async Task WaitFor(Func<bool> condition, CliProcess child)
    {
        await WaitUntil(() => Task.FromResult(condition()), () => $"the run never reached the phase\n{child}");
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, Func<string>? describe = null)
    {
        var limit = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < limit, describe?.Invoke() ?? "timed out");
            await Task.Delay(25);
        }
    }
}
