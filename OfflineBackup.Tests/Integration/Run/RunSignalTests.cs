namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// The real binary as a child process, interrupted in each phase of a run: SIGTERM must end
/// with MySQL running; SIGKILL must be repaired by the next run from the journal, without a
/// second snapshot for the killed run. Each phase is held open by a gate the test releases, and
/// the test sees the run in the phase before it sends the signal: no timing is assumed.
/// </summary>
[Collection(MariaDbRunFaultsCollection.Name)]
public sealed class RunSignalTests(MariaDbPairFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public enum Phase
    {
        Stop,
        SnapshotCall,
        CompletionWait,
    }

    [Theory]
    [InlineData(Phase.Stop, Signals.Term, ExitCodes.Terminated)]
    [InlineData(Phase.SnapshotCall, Signals.Term, ExitCodes.Terminated)]
    [InlineData(Phase.CompletionWait, Signals.Term, ExitCodes.Terminated)]
    [InlineData(Phase.CompletionWait, Signals.Int, ExitCodes.Interrupted)]
    [InlineData(Phase.SnapshotCall, Signals.Hup, ExitCodes.Terminated)]
    public async Task A_signal_in_any_phase_exits_with_mysql_running(Phase phase, int signal, int expected)
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        using var hold = await HoldAsync(world, phase);
        using var child = world.StartTool("run");

        await child.WaitForAsync(hold.IsReached, Patience);
        child.Signal(signal);
        var exitCode = await child.WaitAsync(Patience);
        var upAtExit = await world.Pair.IsReplicaUpAsync(CancellationToken.None);

        Assert.True(exitCode == expected, $"exit {exitCode}\n{child}");
        Assert.True(upAtExit, "MySQL was down when the process exited");
        Assert.True(await world.ReplicationRunsAsync());
        if (phase == Phase.SnapshotCall)
        {
            // Its CreateSnapshot was sent and never answered (the gate holds it): a snapshot may
            // still land, so the journal stays for the next run to adopt it (issue 10), and the
            // run says so instead of "no snapshot taken".
            Assert.Contains("\"phase\": \"snapshot_in_flight\"", File.ReadAllText(world.Files.Journal));
            Assert.Contains("may exist", child.StandardError);
        }
        else
        {
            Assert.False(File.Exists(world.Files.Journal));
        }

        Assert.Contains("interrupted", child.StandardError);
    }

    [Theory]
    [InlineData(Phase.Stop)]
    [InlineData(Phase.SnapshotCall)]
    [InlineData(Phase.CompletionWait)]
    public async Task After_sigkill_in_any_phase_the_next_run_recovers(Phase phase)
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        using var hold = await HoldAsync(world, phase);
        using (var child = world.StartTool("run"))
        {
            await child.WaitForAsync(hold.IsReached, Patience);
            child.Signal(Signals.Kill);
            await child.WaitAsync(Patience);
        }

        Assert.True(File.Exists(world.Files.Journal), "a killed run leaves its journal");
        if (phase == Phase.Stop)
        {
            // The orphaned stop command finishes its work after the kill, as a systemctl job would.
            hold.Release();
            await Poll.UntilAsync(async () => !await world.Pair.IsReplicaUpAsync(CancellationToken.None), Patience, "MySQL was not stopped");
        }

        var check = await world.Cli.RunAsync("check");
        Assert.Equal(ExitCodes.InterruptedRunPending, check.ExitCode);
        world.OnCreateSnapshot(null);
        if (phase != Phase.Stop)
        {
            world.Ec2.Completion = SnapshotCompletion.Manual;
        }

        var next = await world.Cli.RunAsync("run");

        Assert.Contains("recovered from interrupted run", next.Error);
        Assert.True(await world.Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Equal(phase == Phase.SnapshotCall, File.Exists(world.Files.Journal));
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
            Assert.Empty(snapshots);

            // Now EC2 carries out the request the killed run made.
            hold.Release();
            await Poll.UntilAsync(() => world.Ec2.Snapshots().Count == 1, Patience, "the snapshot was not taken");
            var again = await world.Cli.RunAsync("run");
            Assert.Contains("adopted its snapshot", again.Error);
            Assert.Equal(ExitCodes.SnapshotPending, again.ExitCode);
            Assert.Single(world.Ec2.Snapshots());
            Assert.False(File.Exists(world.Files.Journal));
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
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        await world.Pair.FreezeReplicaAsync(CancellationToken.None);
        try
        {
            using var child = world.StartTool("check");
            await child.WaitForAsync(() => world.Files.ReadLog().Contains("guard journal", StringComparison.Ordinal), Patience);
            child.Signal(Signals.Term);

            Assert.Equal(ExitCodes.Terminated, await child.WaitAsync(Patience));
            Assert.Contains("interrupted", child.StandardError);
        }
        finally
        {
            await world.Pair.ThawReplicaAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Of_two_concurrent_runs_one_proceeds_and_the_other_exits_3()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        using var hold = await HoldAsync(world, Phase.Stop);
        using var first = world.StartTool("run");
        await first.WaitForAsync(hold.IsReached, Patience);

        var second = await world.Cli.RunAsync("run");
        hold.Release();

        Assert.Equal(ExitCodes.Locked, second.ExitCode);
        Assert.Contains($"PID {first.Pid}", second.Error);
        Assert.Equal(ExitCodes.Success, await first.WaitAsync(Patience));
        Assert.Single(world.Ec2.Snapshots());
    }

    /// <summary>
    /// Sets the world up so that a run stops in the phase and stays there until released: the
    /// stop command waits on a file gate, the double's CreateSnapshot on an in-process gate, and
    /// the completion wait on a snapshot the double never completes by itself.
    /// </summary>
    private static async Task<PhaseHold> HoldAsync(ToolWorld world, Phase phase)
    {
        switch (phase)
        {
            case Phase.Stop:
                var stop = new FileGate(world.Files.Directory, "stop");
                await world.RewriteAsync(c => c with { StopCommand = $"{stop.Hold}; {ServiceCommands.Stop(world.Pair.Replica)}" });
                return new PhaseHold(() => stop.IsReached, stop);
            case Phase.SnapshotCall:
                var create = new Gate();
                world.OnCreateSnapshot((_, _) => create.HoldAsync());
                return new PhaseHold(() => create.IsReached, create);
            default:
                world.Ec2.Completion = SnapshotCompletion.Manual;
                return new PhaseHold(
                    () => world.Ec2.Snapshots().Any(s => s.State == "pending")
                        && world.Files.ReadLog().Contains("\"step\":\"WaitingForSnapshot\"", StringComparison.Ordinal),
                    null);
        }
    }

    /// <summary>A phase a run is held in: whether it got there, and the gate that lets it go on (released at the end in any case).</summary>
    private sealed class PhaseHold(Func<bool> isReached, IDisposable? gate) : IDisposable
    {
        public Func<bool> IsReached => isReached;

        public void Release() => gate?.Dispose();

        public void Dispose() => Release();
    }
}
