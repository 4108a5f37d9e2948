using System.Text.Json;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// The stop and start commands as children of the run: in a process group of their own,
/// recorded in the journal, ended by the next run if their run died, deaf to a signal meant for
/// the tool, and never handed the MySQL password.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ChildProcessTests(MariaDbPairFixture fixture)
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private MariaDbReplicationPair Pair => fixture.Pair;

    [Fact]
    public async Task The_stop_command_of_a_killed_run_is_ended_before_the_recovery_starts_MySQL()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        var stopping = world.Files.Path("stopping");
        var landed = world.Files.Path("landed");
        await world.RewriteAsync(c => c with { StopCommand = $"touch {stopping}; sleep 4; touch {landed}; {ServiceCommands.Stop(Pair.Replica)}" });
        using (var child = world.StartTool("run"))
        {
            await Poll.UntilAsync(() => File.Exists(stopping) && JournalGroup(world) is not null, Patience, child.ToString);
            child.Signal(SigKill);
            await child.WaitAsync(Patience);
        }

        var group = JournalGroup(world)!.Value;
        Assert.True(OfflineBackup.Platform.LibC.GroupExists(group), "the orphaned stop command should still run here");
        using (var journal = JsonDocument.Parse(File.ReadAllText(world.Files.Journal)))
        {
            // What lets the recovery prove the group is still the stop command's.
            var identity = journal.RootElement.GetProperty("stop_command_identity");
            Assert.Equal(OfflineBackup.Platform.ProcessIdentity.Read(group)!.StartTicks, identity.GetProperty("leader_start_ticks").GetInt64());
            Assert.Equal(OfflineBackup.Platform.ProcessIdentity.CurrentBootId(), identity.GetProperty("boot_id").GetString());
        }

        await world.RewriteAsync(c => c);
        var next = await world.Cli.RunAsync("run");

        Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
        Assert.Contains($"stop command still running (process group {group})", next.Error);
        await AssertEndedAndRecoveredAsync(world, group, landed, "orphaned stop command");
    }

    [Theory]
    [InlineData(SigInt, ExitCodes.Interrupted, "SIGINT")]
    [InlineData(SigTerm, ExitCodes.Terminated, "SIGTERM")]
    public async Task A_signal_to_the_whole_process_group_during_the_stop_is_reported_as_that_signal(int signal, int expected, string name)
    {
        await using var world = await TestWorld.StartAsync(Pair);
        using var gate = new FileGate(world.Files.Directory, "stop");
        await world.RewriteAsync(c => c with { StopCommand = $"{gate.Hold}; {ServiceCommands.Stop(Pair.Replica)}" });
        using var child = BareHost.Start(world, BareHost.DummyCredentials, ownGroup: true, "run");

        // The stop command is held in its own group; the signal goes to the tool's, as a
        // terminal's Ctrl-C or systemd's stop would send it (kill -SIG -- -PGID).
        await gate.ReachedAsync(Patience, child.ToString);
        BareHost.SignalGroup(child, signal);
        var exitCode = await child.WaitAsync(Patience);

        Assert.True(exitCode == expected, $"exit {exitCode}\n{child}");
        Assert.Contains($"interrupted (interrupted by {name})", child.StandardError);
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Files.Journal));
        Assert.Empty(world.Ec2.Snapshots());
    }

    [Fact]
    public async Task The_MySQL_password_from_the_environment_never_reaches_the_service_commands()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        var stopEnv = world.Files.Path("stop.env");
        var startEnv = world.Files.Path("start.env");
        await world.RewriteAsync(c => c with
        {
            MySqlPassword = "not-this-one",
            StopCommand = $"env > {stopEnv}; {ServiceCommands.Stop(Pair.Replica)}",
            StartCommand = $"env > {startEnv}; {ServiceCommands.Start(Pair.Replica)}",
        });
        var environment = new Dictionary<string, string>(BareHost.DummyCredentials)
        {
            ["OFFLINE_BACKUP_MYSQL_PASSWORD"] = MariaDbReplicationPair.MonitorPassword,
        };

        var (run, _) = await BareHost.RunAsync(world, environment, "run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        foreach (var dump in new[] { stopEnv, startEnv })
        {
            var text = File.ReadAllText(dump);
            Assert.DoesNotContain("OFFLINE_BACKUP_MYSQL_PASSWORD", text);
            Assert.DoesNotContain(MariaDbReplicationPair.MonitorPassword, text);
            Assert.Contains("PATH=", text);
        }
    }

    [Fact]
    public async Task A_hung_start_command_of_a_killed_run_is_ended_when_MySQL_does_not_answer()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        using var gate = new FileGate(world.Files.Directory, "start");
        var landed = world.Files.Path("landed");
        await world.RewriteAsync(c => c with { StartCommand = $"{gate.Hold}; touch {landed}; {ServiceCommands.Start(Pair.Replica)}" });
        var group = await KillDuringStartAsync(world, gate);
        Assert.False(await Pair.IsReplicaUpAsync(CancellationToken.None), "MySQL should be down here");

        // The next run comes after the dead run's start timeout, when that run would have
        // killed its start command itself: the recovery waits no longer.
        await world.RewriteAsync(c => c);
        using var later = new CliHarness(world.Files, new TestAdapters(), new ShiftedClock(TimeSpan.FromMinutes(5)));
        var next = await later.RunAsync("run");

        Assert.True(next.ExitCode == ExitCodes.NotDue, next.ToString());
        Assert.Contains($"ended its start command, still running with MySQL not answering (process group {group})", next.Error);
        await AssertEndedAndRecoveredAsync(world, group, landed, "hung start command");
    }

    [Fact]
    public async Task A_start_command_holding_the_server_in_its_group_is_left_alone_while_MySQL_answers()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        using var gate = new FileGate(world.Files.Directory, "start");
        await world.RewriteAsync(c => c with { StartCommand = $"({Pair.Replica.StartAttachedCommand}); {gate.Hold}" });
        var group = await KillDuringStartAsync(world, gate);
        await Poll.UntilAsync(() => Pair.IsReplicaUpAsync(CancellationToken.None), Patience, "MySQL did not come back up", TimeSpan.FromMilliseconds(100));
        var server = Pair.Replica.ReadPid()!.Value;
        Assert.Contains(server, OfflineBackup.Platform.LibC.GroupMembers(group));

        await world.RewriteAsync(c => c);
        var next = await world.Cli.RunAsync("run");

        Assert.True(next.ExitCode == ExitCodes.NotDue, next.ToString());
        Assert.Contains($"left its start command's process group {group} running: MySQL answers", next.Error);
        Assert.Equal(server, Pair.Replica.ReadPid());
        Assert.True(OfflineBackup.Platform.LibC.GroupExists(group), "the group holding the server was ended");
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Single(world.Ec2.Snapshots());
        Assert.False(File.Exists(world.Files.Journal));
    }

    /// <summary>
    /// What a recovery that ended a dead run's service command (<paramref name="what"/>) leaves:
    /// the command's group gone before it got to its last step (which touches <paramref name="landed"/>),
    /// MySQL up and replicating, the recovering run's one snapshot, no journal.
    /// </summary>
    private async Task AssertEndedAndRecoveredAsync(ToolWorld world, int group, string landed, string what)
    {
        Assert.False(OfflineBackup.Platform.LibC.GroupExists(group), $"the {what} outlived the recovery");
        Assert.False(File.Exists(landed), $"the {what} went on to its last step");
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Single(world.Ec2.Snapshots());
        Assert.False(File.Exists(world.Files.Journal));
    }

    /// <summary>Runs the tool until its start command is held at <paramref name="gate"/> and recorded, then SIGKILLs it; the start command's group.</summary>
    private static async Task<int> KillDuringStartAsync(ToolWorld world, FileGate gate)
    {
        using (var child = world.StartTool("run"))
        {
            await gate.ReachedAsync(Patience, child.ToString);
            await Poll.UntilAsync(() => JournalGroup(world, "start_command_group") is not null, Patience, child.ToString);
            child.Signal(SigKill);
            await child.WaitAsync(Patience);
        }

        var group = JournalGroup(world, "start_command_group")!.Value;
        Assert.True(OfflineBackup.Platform.LibC.GroupExists(group), "the orphaned start command should still run here");
        return group;
    }

    private static int? JournalGroup(ToolWorld world, string field = "stop_command_group")
    {
        try
        {
            using var journal = JsonDocument.Parse(File.ReadAllText(world.Files.Journal));
            return journal.RootElement.TryGetProperty(field, out var group) && group.ValueKind == JsonValueKind.Number
                ? group.GetInt32()
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
