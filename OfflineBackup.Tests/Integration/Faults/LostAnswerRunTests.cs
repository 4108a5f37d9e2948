using System.Text.Json;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// Whole runs of the built binary against an EC2 that carries out CreateSnapshot and loses the
/// answer, answers late, resets, or never answers. Each ends with MySQL and replication running,
/// the code and sentence the case deserves, and exactly one snapshot once the next run is done.
/// </summary>
[Collection(MariaDbLostAnswerCollection.Name)]
public sealed class LostAnswerRunTests(MariaDbPairFixture fixture)
{
    private MariaDbReplicationPair Pair => fixture.Pair;

    /// <summary>
    /// The fault CreateSnapshot meets (the next call only, or every call of the first run) and how many
    /// CreateSnapshot calls reach EC2: an answer lost after EC2 acted is adopted by run id and never
    /// resent; a reset before EC2 acted is looked up, found missing, and sent once more.
    /// </summary>
    public static TheoryData<string, bool, int> LostAnswers => new()
    {
        { "500", false, 1 },
        { "503", false, 1 },
        { "reset", false, 1 },
        { "500", true, 1 },
        { "reset before EC2 acted", false, 2 },
    };

    [Theory]
    [MemberData(nameof(LostAnswers))]
    public async Task A_lost_CreateSnapshot_answer_is_adopted_by_run_id_and_a_call_EC2_never_saw_is_sent_once_more(string kind, bool everyCall, int creates)
    {
        await using var world = await TestWorld.StartAsync(Pair);
        if (everyCall)
        {
            world.Ec2.Faults.BreakAlways("CreateSnapshot", Fault(kind));
        }
        else
        {
            world.Ec2.Faults.BreakNext("CreateSnapshot", 1, Fault(kind));
        }

        var (run, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");
        world.Ec2.Faults.ClearAll();
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.True(creates == world.Ec2.Calls.Count("CreateSnapshot", dryRun: false), string.Join("\n", world.Ec2.Calls.All.Select(c => $"{c.Action} dry-run={c.DryRun} {c.HttpStatus} {c.ErrorCode}")));
        await AssertSettledAsync(world, next, ExitCodes.NotDue);
    }

    [Fact]
    public async Task When_the_run_id_lookup_fails_too_nothing_is_resent_and_the_next_run_adopts()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { MaxAttempts = 1 });
        var recordPort = world.Ec2.OnCreateSnapshot!;
        world.Ec2.OnCreateSnapshot = async (request, token) =>
        {
            await recordPort(request, token);
            world.Ec2.Faults.BreakAlways("DescribeSnapshots", Ec2NetworkFault.Reset);
        };
        world.Ec2.Faults.BreakNext("CreateSnapshot", 1, Ec2NetworkFault.ActThenInternalError);

        var (run, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.SnapshotFailed, run.ToString());
        Assert.Contains("may exist", run.Error);
        Assert.DoesNotContain("no snapshot taken", run.Error);
        Assert.Equal(1, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Equal("snapshot_in_flight", JournalPhase(world));

        world.Ec2.OnCreateSnapshot = recordPort;
        world.Ec2.Faults.ClearAll();
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.Contains("adopted its snapshot", next.Error);
        await AssertSettledAsync(world, next, ExitCodes.SnapshotPending, ExitCodes.NotDue);
    }

    [Fact]
    public async Task A_CreateSnapshot_answered_late_keeps_MySQL_down_no_longer_than_max_down()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { MaxDownSeconds = 3 });
        world.Ec2.Faults.BreakNext("CreateSnapshot", 1, Ec2NetworkFault.ActThenAnswerLate(TimeSpan.FromSeconds(60)));

        var (run, took) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Ec2Unreachable, run.ToString());
        Assert.Contains("service.max_down_seconds (3s)", run.Error);
        Assert.Contains("MySQL down ", run.Error);
        Assert.True(took < TimeSpan.FromSeconds(30), $"run took {took}");
        Assert.Equal(1, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        await AssertSettledAsync(world, next, ExitCodes.NotDue, ExitCodes.SnapshotPending);
    }

    [Fact]
    public async Task A_CreateSnapshot_that_never_lands_holds_off_the_next_run_then_one_snapshot_is_taken_after_the_window()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { MaxDownSeconds = 3 });
        world.Ec2.Faults.BreakAlways("CreateSnapshot", Ec2NetworkFault.NeverAnswer);

        var (run, took) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Ec2Unreachable, run.ToString());
        Assert.Contains("service.max_down_seconds (3s)", run.Error);
        Assert.Contains("may exist", run.Error);
        Assert.True(took < TimeSpan.FromSeconds(30), $"run took {took}");
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());

        // The tool cannot know that it never lands: no second snapshot while it still might.
        world.Ec2.Faults.ClearAll();
        await AssertHoldsOffAsync(world);

        // A snapshot that never lands must not block backups for ever: once the in-flight window
        // has passed, the next run takes one, and only one.
        using var later = new CliHarness(world.Files, new TestAdapters(), new ShiftedClock(RunRecovery.InFlightWindow + TimeSpan.FromMinutes(1)));
        var next = await later.RunAsync("run");

        Assert.Contains("it had made no snapshot", next.Error);
        Assert.Equal(2, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        await AssertSettledAsync(world, next, ExitCodes.Success);
    }

    [Fact]
    public async Task A_CreateSnapshot_that_lands_during_the_hold_off_is_adopted_not_duplicated()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { MaxDownSeconds = 3 });
        using var ec2 = new Gate();
        world.OnCreateSnapshot((_, _) => ec2.HoldAsync());

        var (run, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Ec2Unreachable, run.ToString());
        Assert.Contains("may exist", run.Error);
        Assert.True(ec2.IsReached, "CreateSnapshot never reached EC2");
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        await AssertHoldsOffAsync(world);

        // EC2 carries out the request it received, long after the caller gave up on it.
        world.OnCreateSnapshot(null);
        ec2.Release();
        await Poll.UntilAsync(() => world.Ec2.Snapshots().Count > 0, BareHost.Patience, "the held CreateSnapshot never landed", TimeSpan.FromMilliseconds(50));

        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.Contains("adopted its snapshot", next.Error);
        Assert.Equal(1, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        Assert.True(next.ExitCode is ExitCodes.NotDue or ExitCodes.SnapshotPending, next.ToString());
        Assert.Single(world.Ec2.Snapshots());
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Files.Journal), "the journal was left behind");
    }

    /// <summary>
    /// Within the in-flight window: run holds off (exit 5), and check and prune say so in the
    /// same words, not "run to recover"; nothing more is sent to EC2.
    /// </summary>
    private async Task AssertHoldsOffAsync(ToolWorld world)
    {
        var creates = world.Ec2.Calls.Count("CreateSnapshot", dryRun: false);
        var (holding, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");
        var (check, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "check");
        var (prune, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "prune");

        Assert.True(holding.ExitCode == ExitCodes.SnapshotPending, holding.ToString());
        Assert.Contains("may still land", holding.Error);
        Assert.True(check.ExitCode == ExitCodes.SnapshotPending, check.ToString());
        Assert.Contains("No new snapshot before", check.Output);
        Assert.DoesNotContain("to recover", check.Output);
        Assert.True(prune.ExitCode == ExitCodes.SnapshotPending, prune.ToString());
        Assert.Contains("No new snapshot before", prune.Output + prune.Error);
        Assert.DoesNotContain("to recover", prune.Output + prune.Error);
        Assert.Equal(creates, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        Assert.Equal("snapshot_in_flight", JournalPhase(world));
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
    }

    private static Ec2NetworkFault Fault(string kind) => kind switch
    {
        "500" => Ec2NetworkFault.ActThenInternalError,
        "503" => Ec2NetworkFault.ActThenUnavailable,
        "reset" => Ec2NetworkFault.ActThenReset,
        _ => Ec2NetworkFault.Reset,
    };

    private async Task AssertSettledAsync(ToolWorld world, CliResult next, params int[] nextCodes)
    {
        Assert.True(nextCodes.Contains(next.ExitCode), next.ToString());
        Assert.Single(world.Ec2.Snapshots());
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Files.Journal), "the journal was left behind");
        Assert.Empty(world.Ec2.ServerErrors);
    }

    private static string? JournalPhase(ToolWorld world)
    {
        using var journal = JsonDocument.Parse(File.ReadAllText(world.Files.Journal));
        return journal.RootElement.GetProperty("phase").GetString();
    }
}
