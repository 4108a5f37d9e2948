using System.Text.Json;

namespace OfflineBackup.Tests.Cli;

/// <summary>
/// `check` through the real parser against the real replica and the EC2 double: one test per
/// exit code it can return, the text and JSON reports, and that it never changes anything.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class CheckCommandTests(MariaDbPairFixture fixture)
{
    [Fact]
    public async Task Exit_0_when_a_backup_would_be_taken_now_with_one_line_per_guard()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);

        var result = await world.Cli.RunAsync("check");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var guard in new[] { "lock", "journal", "replica", "privileges", "pending", "age", "aws-permissions" })
        {
            Assert.Contains(result.Output.Split('\n'), line => line.StartsWith(guard + " ", StringComparison.Ordinal) && line.Contains("passed"));
        }

        Assert.Contains("s behind", result.Output);
        Assert.Contains("a backup would be taken now", result.Output);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.Equal(0, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        Assert.Equal(1, world.Ec2.Calls.Count("DescribeSnapshots"));
    }

    [Fact]
    public async Task Json_report_has_every_guard_and_the_exit_code()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        SeedOwn(world.Ec2, "snap-0000000000000000a", "completed", DateTimeOffset.UtcNow.AddHours(-3));

        var result = await world.Cli.RunAsync("check", "--json");

        Assert.Equal(ExitCodes.NotDue, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("exit_code").GetInt32());
        Assert.False(root.GetProperty("backup_due").GetBoolean());
        Assert.Equal(TestSettings.VolumeId, root.GetProperty("volume_id").GetString());
        var guards = root.GetProperty("guards").EnumerateArray().ToList();
        Assert.Equal(9, guards.Count);
        var age = guards.Single(g => g.GetProperty("name").GetString() == "age");
        Assert.False(age.GetProperty("passed").GetBoolean());
        Assert.Contains("snap-0000000000000000a", age.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Exit_2_for_a_bad_config_naming_file_key_and_line()
    {
        using var cli = new CliHarness(new TestAdapters());
        File.WriteAllText(cli.ConfigPath, "mysql:\n  user: monitor\ninstance:\n  instance_id: i-0123456789abcdef0\n  volume_id: vol-XXXX\n");

        var result = await cli.RunAsync("check");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains(cli.ConfigPath, result.Error);
        Assert.Contains("instance.volume_id", result.Error);
        Assert.Contains("line 5", result.Error);
    }

    [Fact]
    public async Task Exit_2_for_bad_arguments()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunAsync("check", "--no-such-option");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error);
    }

    [Fact]
    public async Task Exit_3_when_a_run_holds_the_lock_naming_its_pid()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        using var held = RunLock.TryAcquire(world.Cli.LockFile, DateTimeOffset.UtcNow, out _);

        var result = await world.Cli.RunAsync("check");

        Assert.Equal(ExitCodes.Locked, result.ExitCode);
        Assert.Contains($"PID {Environment.ProcessId}", result.Output);
    }

    /// <summary>A world set up to be refused, the code check exits with, and what it must say.</summary>
    public static TheoryData<string, int, string[]> Refusals => new()
    {
        { "a pending snapshot", ExitCodes.SnapshotPending, ["snap-0000000000000000b is still pending at 37%"] },
        { "replication stopped", ExitCodes.ReplicaUnhealthy, ["SQL thread is not running"] },
        { "CreateSnapshot denied", ExitCodes.PermissionDenied, ["ec2:CreateSnapshot denied"] },
        { "a MySQL privilege missing", ExitCodes.PermissionDenied, ["GRANT", "REPLICATION SLAVE ADMIN"] },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refuses_with_the_code_of_the_problem_and_names_it(string problem, int exitCode, string[] says)
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        await MakeAsync(world, problem);

        var result = await world.Cli.RunAsync("check");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.All(says, text => Assert.Contains(text, result.Output));
    }

    [Fact]
    public async Task Exit_6_with_a_clear_message_when_the_password_is_wrong_and_never_the_password()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        const string wrong = "Wrong-Pw-For-Leak-Test-5521";
        await world.RewriteAsync(c => c with { MySqlPassword = wrong });

        var result = await world.Cli.RunAsync("check");

        Assert.Equal(ExitCodes.ReplicaUnhealthy, result.ExitCode);
        Assert.Contains("monitor", result.Output);
        Assert.DoesNotContain(wrong, result.Output + result.Error + world.Cli.ReadLog());
    }

    [Fact]
    public async Task Exit_12_when_an_interrupted_run_must_be_recovered()
    {
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        new RunJournal(world.Cli.JournalFile).Write(new JournalEntry("run-x", 4242, RunPhase.WaitingForSnapshot, at, TestSettings.VolumeId, [""], at, "snap-1", at));

        var result = await world.Cli.RunAsync("check");

        Assert.Equal(ExitCodes.InterruptedRunPending, result.ExitCode);
        Assert.Contains("offline-backup run", result.Output);
        Assert.True(File.Exists(world.Cli.JournalFile));
    }

    [Fact]
    public async Task Exit_1_for_a_bug_with_the_details_in_the_log()
    {
        var buggy = new FakeReplicaServer { Bug = new InvalidOperationException("FakeReplicaServer: a bug") };
        using var cli = new CliHarness(new TestAdapters { Replica = buggy });
        await cli.WriteConfigAsync(1, "pw", null);

        var result = await cli.RunAsync("check");

        Assert.Equal(ExitCodes.InternalError, result.ExitCode);
        Assert.Contains("internal error", result.Error);
        Assert.Contains("FakeReplicaServer: a bug", cli.ReadLog());
    }

    private static void SeedOwn(Ec2Double ec2, string id, string state, DateTimeOffset start)
    {
        var settings = TestSettings.Create("/tmp");
        ec2.Seed(new SnapshotSeed(id, TestSettings.VolumeId, start)
        {
            State = state,
            Progress = state == "completed" ? "100%" : "10%",
            Tags = SnapshotRequests.For(settings.Instance, "seeded", "db1", start).Tags.ToDictionary(),
        });
    }

    private static Task MakeAsync(ToolWorld world, string problem)
    {
        switch (problem)
        {
            case "a pending snapshot":
                world.Ec2.Seed(new SnapshotSeed("snap-0000000000000000b", TestSettings.VolumeId, DateTimeOffset.UtcNow.AddMinutes(-30)) { State = "pending", Progress = "37%" });
                return Task.CompletedTask;
            case "replication stopped":
                return world.Pair.StopReplicaSqlThreadAsync(CancellationToken.None);
            case "CreateSnapshot denied":
                world.Ec2.Faults.Deny("CreateSnapshot");
                return Task.CompletedTask;
            case "a MySQL privilege missing":
                return world.UseUserWithoutReplicationAdminAsync();
            default:
                throw new ArgumentOutOfRangeException(nameof(problem), problem, "no such problem");
        }
    }
}
