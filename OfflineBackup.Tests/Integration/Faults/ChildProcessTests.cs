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
            await WaitUntil(() => File.Exists(stopping) && JournalGroup(world) is not null, child.ToString);
            child.Signal(SigKill);
            await child.WaitAsync(Patience);
        }

        var group = JournalGroup(world)!.Value;
        Assert.True(OfflineBackup.Platform.LibC.GroupExists(group), "the orphaned stop command should still run here");
        await world.RewriteAsync(c => c);
        var next = await world.Cli.RunAsync("run");

        Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
        Assert.Contains($"stop command still running (process group {group})", next.Error);
        Assert.False(OfflineBackup.Platform.LibC.GroupExists(group), "the orphaned stop command outlived the recovery");
        Assert.False(File.Exists(landed), "the orphaned stop command went on to stop MySQL");
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Single(world.Ec2.Snapshots());
        Assert.False(File.Exists(world.Files.Journal));
    }

    [Fact]
    public async Task A_SIGTERM_to_the_whole_process_group_during_the_stop_is_reported_as_SIGTERM()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        var stopping = world.Files.Path("stopping");
        await world.RewriteAsync(c => c with { StopCommand = $"touch {stopping}; sleep 3; {ServiceCommands.Stop(Pair.Replica)}" });
        using var child = BareHost.Start(world, BareHost.DummyCredentials, ownGroup: true, "run");

        await WaitUntil(() => File.Exists(stopping), child.ToString);
        BareHost.SignalGroup(child, SigTerm);
        var exitCode = await child.WaitAsync(Patience);

        Assert.True(exitCode == ExitCodes.Terminated, $"exit {exitCode}\n{child}");
        Assert.Contains("interrupted (interrupted by SIGTERM)", child.StandardError);
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

    private static int? JournalGroup(ToolWorld world)
    {
        try
        {
            using var journal = JsonDocument.Parse(File.ReadAllText(world.Files.Journal));
            return journal.RootElement.TryGetProperty("stop_command_group", out var group) && group.ValueKind == JsonValueKind.Number
                ? group.GetInt32()
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private static async Task WaitUntil(Func<bool> condition, Func<string> describe)
    {
        var limit = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, describe());
            await Task.Delay(25);
        }
    }
}
