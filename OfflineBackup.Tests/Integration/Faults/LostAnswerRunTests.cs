using System.Text.Json;
using OfflineBackup.Errors;
using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Tests.Integration.MySql;

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

    public static TheoryData<string> LostAnswers => ["500", "503", "reset"];

    [Theory]
    [MemberData(nameof(LostAnswers))]
    public async Task A_lost_CreateSnapshot_answer_is_adopted_by_run_id_and_never_resent(string kind)
    {
        await using var world = await TestWorld.StartAsync(Pair);
        world.Ec2.Faults.BreakNext("CreateSnapshot", 1, Fault(kind));

        var (run, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.True(1 == world.Ec2.Calls.Count("CreateSnapshot", dryRun: false), string.Join("\n", world.Ec2.Calls.All.Select(c => $"{c.Action} dry-run={c.DryRun} {c.HttpStatus} {c.ErrorCode}")));
        await AssertSettledAsync(world, next, ExitCodes.NotDue);
    }

    [Fact]
    public async Task When_every_answer_is_lost_the_first_snapshot_is_adopted()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        world.Ec2.Faults.BreakAlways("CreateSnapshot", Ec2NetworkFault.ActThenInternalError);

        var (run, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");
        world.Ec2.Faults.ClearAll();
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal(1, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
        await AssertSettledAsync(world, next, ExitCodes.NotDue);
    }

    [Fact]
    public async Task A_reset_before_EC2_acted_is_looked_up_then_sent_once_more()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        world.Ec2.Faults.BreakNext("CreateSnapshot", 1, Ec2NetworkFault.Reset);

        var (run, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal(2, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
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
    public async Task A_CreateSnapshot_that_never_answers_starts_MySQL_at_max_down_and_the_next_run_holds_off()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { MaxDownSeconds = 3 });
        world.Ec2.Faults.BreakAlways("CreateSnapshot", Ec2NetworkFault.NeverAnswer);

        var (run, took) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Ec2Unreachable, run.ToString());
        Assert.Contains("service.max_down_seconds (3s)", run.Error);
        Assert.Contains("may exist", run.Error);
        Assert.True(took < TimeSpan.FromSeconds(30), $"run took {took}");
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
        Assert.True(await world.ReplicationRunsAsync());

        // Nothing landed, but the tool cannot know that it never will: no second snapshot
        // until the in-flight window has passed (RunRecovery.InFlightWindow).
        Assert.True(next.ExitCode == ExitCodes.SnapshotPending, next.ToString());
        Assert.Contains("may still land", next.Error);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.Equal(1, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
    }

    private static Ec2NetworkFault Fault(string kind) => kind switch
    {
        "500" => Ec2NetworkFault.ActThenInternalError,
        "503" => Ec2NetworkFault.ActThenUnavailable,
        _ => Ec2NetworkFault.ActThenReset,
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
