namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>The smaller faults of issue 10: each said once, and truly.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class SmallFaultTests(MariaDbPairFixture fixture)
{
    private const int SigTerm = 15;

    private MariaDbReplicationPair Pair => fixture.Pair;

    [Fact]
    public async Task A_MySQL_login_failure_is_said_once()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { MySqlPassword = "wrong-password" });

        var run = await world.Cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.PermissionDenied || run.ExitCode == ExitCodes.ReplicaUnhealthy, run.ToString());
        Assert.Equal(1, Occurrences(run.Error, "refused the login"));
        Assert.Equal(1, Occurrences(run.Error, "Access denied for user"));
    }

    [Fact]
    public async Task Retention_counts_a_snapshot_that_was_already_gone()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        var old = DateTimeOffset.UtcNow.AddDays(-5);
        var instance = world.Config.Instance;
        world.Ec2.Seed(
            Ours("snap-0000000000000000a", old, instance),
            Ours("snap-0000000000000000b", old.AddHours(-1), instance));
        await world.RewriteAsync(c => c with { MinKeep = 1 });
        var recordPort = world.Ec2.OnCreateSnapshot!;
        world.Ec2.OnCreateSnapshot = async (request, token) =>
        {
            await recordPort(request, token);

            // After the permission guard's DryRun probe: the first real deletion finds it gone.
            world.Ec2.Faults.FailNext("DeleteSnapshot", 1, new Ec2Fault(400, "InvalidSnapshot.NotFound", "The snapshot does not exist."));
        };

        var run = await world.Cli.RunAsync("run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("retention deleted 2 (1 of them already gone)", run.Output);
    }

    [Fact]
    public async Task A_SIGTERM_while_CreateSnapshot_is_in_flight_names_the_snapshot_it_made()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        using var ec2 = new Gate();
        world.OnCreateSnapshot((_, _) => ec2.HoldAsync());
        using var child = world.StartTool("run");
        await ec2.ReachedAsync(TimeSpan.FromSeconds(60), child.ToString);

        child.Signal(SigTerm);

        // EC2 carries out the request it received only once the tool has given up on it and is
        // bringing MySQL back: the snapshot must be found by its run id, not by the answer.
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (JournalText(world) is not { } text || text.Contains("\"creating_snapshot\"", StringComparison.Ordinal))
            {
                await Task.Delay(25, limit.Token);
            }
        }

        ec2.Release();
        var exitCode = await child.WaitAsync(TimeSpan.FromSeconds(60));

        var snapshot = Assert.Single(world.Ec2.Snapshots());
        Assert.True(exitCode == ExitCodes.Terminated, $"exit {exitCode}\n{child}");
        Assert.Contains($"snapshot {snapshot.SnapshotId}", child.StandardError);
        Assert.DoesNotContain("no snapshot taken", child.StandardError);
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.False(File.Exists(world.Files.Journal));
    }

    [Fact]
    public async Task An_empty_journal_is_exit_14_in_run_check_and_prune_and_nothing_is_stopped()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        var stopped = world.Files.Path("stopped");
        await world.RewriteAsync(c => c with { StopCommand = $"touch {stopped}; {ServiceCommands.Stop(Pair.Replica)}" });
        File.WriteAllText(world.Files.Journal, "{}");

        foreach (var command in new[] { "run", "check", "prune" })
        {
            var result = await world.Cli.RunAsync(command);

            Assert.True(result.ExitCode == ExitCodes.JournalFailed, $"{command}: {result}");
            Assert.Contains("is unreadable: it lacks run_id", result.Output + result.Error);
            Assert.DoesNotContain("internal error", result.Error);
            Assert.DoesNotContain("PID 0", result.Output + result.Error);
            Assert.DoesNotContain("0001-01-01", result.Output + result.Error);
        }

        Assert.False(File.Exists(stopped), "MySQL was stopped with an unreadable journal");
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
    }

    private static SnapshotSeed Ours(string id, DateTimeOffset at, Configuration.InstanceSettings instance) =>
        new(id, TestSettings.VolumeId, at)
        {
            State = "completed",
            Progress = "100%",
            Tags = SnapshotRequests.For(instance, "old-" + id, "db1", at).Tags.ToDictionary(),
        };

    private static string? JournalText(ToolWorld world)
    {
        try
        {
            return File.ReadAllText(world.Files.Journal);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
