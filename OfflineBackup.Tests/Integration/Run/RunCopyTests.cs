namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// `run` and `check` with a copy: section, against the real replica and a two-region EC2 double:
/// the daily run copies its snapshot, an hourly not-due run copies one that completed later, and
/// a failing copy never fails the backup.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RunCopyTests(MariaDbPairFixture fixture)
{
    private const string CopyRegion = "eu-central-1";

    [Fact]
    public async Task The_daily_run_copies_its_completed_snapshot_into_the_copy_region()
    {
        await using var world = await CreateAsync();

        var result = await world.Cli.RunAsync("run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var snapshot = Assert.Single(world.Ec2.Snapshots());
        var copy = Assert.Single(world.Ec2.SnapshotsIn(CopyRegion));
        Assert.Equal(snapshot.SnapshotId, copy.Tags[ToolTags.SourceSnapshot]);
        Assert.Equal("us-east-1", copy.Tags[ToolTags.SourceRegion]);
        Assert.Contains($"copies in {CopyRegion}: 1 started, 0 pending, 0 completed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_copy_is_a_warning_and_the_daily_backup_still_succeeds()
    {
        await using var world = await CreateAsync();
        world.Ec2.Faults.FailAlways("CopySnapshot", Ec2Fault.InternalError());

        var result = await world.Cli.RunAsync("run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Single(world.Ec2.Snapshots());
        Assert.Empty(world.Ec2.SnapshotsIn(CopyRegion));
        Assert.Contains("offline-backup run: warning: snap-", result.Error, StringComparison.Ordinal);
        Assert.Contains($"not copied to {CopyRegion}: ec2:CopySnapshot failed: InternalError", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_hourly_not_due_run_copies_a_snapshot_that_completed_after_its_run_and_says_nothing()
    {
        await using var world = await CreateAsync();
        var recent = Seed(world.Ec2, "snap-0000000000000c001", DateTimeOffset.UtcNow.AddHours(-3));

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.NotDue, result.ExitCode);
        Assert.Equal((string.Empty, string.Empty), (result.Output, result.Error));
        Assert.Equal(recent, Assert.Single(world.Ec2.SnapshotsIn(CopyRegion)).Tags[ToolTags.SourceSnapshot]);
        Assert.Equal(0, world.Ec2.Calls.Count("CreateSnapshot", dryRun: false));
    }

    [Fact]
    public async Task An_hourly_run_reports_a_snapshot_older_than_a_day_without_a_copy_with_exit_13()
    {
        await using var world = await CreateAsync();
        Seed(world.Ec2, "snap-0000000000000c002", DateTimeOffset.UtcNow.AddHours(-3));
        var old = Seed(world.Ec2, "snap-0000000000000c003", DateTimeOffset.UtcNow.AddHours(-30));
        world.Ec2.Faults.FailAlways("CopySnapshot", Ec2Fault.InternalError());

        var result = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.CopyIncomplete, result.ExitCode);
        Assert.Contains($"offline-backup run: {old} not copied to {CopyRegion}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_probes_CopySnapshot_and_the_KMS_key_with_a_dry_run()
    {
        await using var world = await CreateAsync();
        Seed(world.Ec2, "snap-0000000000000c004", DateTimeOffset.UtcNow.AddDays(-2));
        world.Ec2.AddKmsKey("alias/copies");

        var allowed = await world.Cli.RunAsync("check");
        await world.RewriteAsync(c => c with { CopyRegion = CopyRegion, CopyKmsKeyId = "alias/missing" });
        var badKey = await world.Cli.RunAsync("check");

        Assert.True(allowed.ExitCode == ExitCodes.Success, allowed.ToString());
        Assert.Contains(allowed.Output.Split('\n'), l => l.StartsWith("copy ", StringComparison.Ordinal) && l.Contains("ec2:CopySnapshot of snap-0000000000000c004 into eu-central-1 allowed", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.CopyIncomplete, badKey.ExitCode);
        Assert.Contains("alias/missing", badKey.Output, StringComparison.Ordinal);
        Assert.Empty(world.Ec2.SnapshotsIn(CopyRegion));
        Assert.All(world.Ec2.Calls.Of("CopySnapshot"), c => Assert.True(c.DryRun));
    }

    [Fact]
    public async Task Dry_run_lists_the_copy_step_and_a_due_drill_and_leaves_out_a_drill_not_due()
    {
        await using var world = await CreateAsync();
        await world.RewriteAsync(c => c with
        {
            CopyRegion = CopyRegion,
            Drill = new DrillConfig { ScratchDirectory = world.Files.Path("drill"), EveryDays = 7, CountTables = ["shop.orders"] },
        });

        var due = await world.Cli.RunAsync("run", "--dry-run");
        var drilled = Seed(world.Ec2, "snap-0000000000000c005", DateTimeOffset.UtcNow.AddDays(-2));
        world.Ec2.Seed(new SnapshotSeed("snap-0000000000000c006", TestSettings.VolumeId, DateTimeOffset.UtcNow.AddDays(-3))
        {
            Tags = new Dictionary<string, string>(world.Ec2.Snapshot(drilled)!.Tags) { [ToolTags.LastPassedDrill] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O") },
        });
        var notDue = await world.Cli.RunAsync("run", "--dry-run");

        Assert.True(due.ExitCode == ExitCodes.Success, due.ToString());
        var steps = due.Output.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && char.IsAsciiDigit(l.TrimStart()[0])).ToList();
        Assert.Matches("retention, on today's inventory", steps[^3]);
        Assert.Matches($"^  [0-9]+\\. copy the new snapshot into {CopyRegion}$", steps[^2]);
        Assert.Matches("^  [0-9]+\\. restore drill of the new snapshot \\(drill.every_days 7; last passed drill: never\\)$", steps[^1]);
        Assert.Contains("CHECK TABLE ... QUICK on every table, rows of shop.orders", due.Output, StringComparison.Ordinal);
        Assert.True(notDue.ExitCode == ExitCodes.Success, notDue.ToString());
        Assert.Contains($"copy the new snapshot into {CopyRegion}", notDue.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("restore drill", notDue.Output, StringComparison.Ordinal);
        Assert.Equal(0, world.Ec2.Calls.Count("CreateVolume", dryRun: false));
        Assert.Empty(world.Ec2.SnapshotsIn(CopyRegion));
    }

    private async Task<ToolWorld> CreateAsync()
    {
        var world = await TestWorld.StartAsync(fixture.Pair, c => c with { CopyRegion = CopyRegion });
        world.Ec2.AddRegion(CopyRegion);
        return world;
    }

    private static string Seed(Ec2Double ec2, string id, DateTimeOffset start)
    {
        var settings = TestSettings.Create("/tmp");
        ec2.Seed(new SnapshotSeed(id, TestSettings.VolumeId, start)
        {
            Tags = SnapshotRequests.For(settings.Instance, "seeded", "db1", start).Tags.ToDictionary(),
        });
        return id;
    }
}
