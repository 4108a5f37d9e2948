namespace OfflineBackup.Tests.Integration.Copies;

/// <summary>The copy pass against the real SDK and a two-region EC2 double: copy once, retry, report, thin out.</summary>
public sealed class CopyStepTests : IAsyncLifetime
{
    private CopyWorld _w = null!;

    public async Task InitializeAsync() => _w = await CopyWorld.StartAsync();

    public async Task DisposeAsync() => await _w.DisposeAsync();

    [Fact]
    public async Task A_completed_snapshot_is_copied_once_with_our_tags_and_its_source_and_never_again()
    {
        var source = _w.SeedOurs("snap-0a000000000000001", TimeSpan.FromHours(1));

        var first = await _w.RunAsync();
        var second = await _w.RunAsync();
        var copyId = Assert.Single(first.Started).Copy;
        _w.Ec2.CompleteIn(CopyWorld.CopyRegion, copyId);
        var third = await _w.RunAsync();

        Assert.Equal((ExitCodes.Success, ExitCodes.Success, ExitCodes.Success), (first.ExitCode, second.ExitCode, third.ExitCode));
        Assert.Single(_w.Copies());
        var copy = _w.Ec2.SnapshotIn(CopyWorld.CopyRegion, copyId)!;
        Assert.Equal((source, CopyWorld.SourceRegion), (copy.Tags[ToolTags.SourceSnapshot], copy.Tags[ToolTags.SourceRegion]));
        Assert.Equal((ToolTags.CreatedByValue, CopyWorld.Volume), (copy.Tags[ToolTags.CreatedBy], copy.Tags[ToolTags.Volume]));
        Assert.Equal([(source, copyId)], second.Pending);
        Assert.Empty(second.Warnings);
        Assert.Equal(1, third.Completed);
        Assert.Equal("copies in eu-central-1: 0 started, 0 pending, 1 completed; copy retention deleted 0", third.Summary());
    }

    [Fact]
    public async Task Pending_and_foreign_snapshots_are_not_copied()
    {
        _w.SeedOurs("snap-0a000000000000002", TimeSpan.FromMinutes(5), state: "pending");
        _w.Ec2.Seed(new SnapshotSeed("snap-0a000000000000003", CopyWorld.Volume, _w.Clock.GetUtcNow().AddHours(-1)));

        var result = await _w.RunAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Empty(_w.Copies());
    }

    [Fact]
    public async Task A_failing_copy_of_a_young_snapshot_is_a_warning_and_the_next_run_retries_it()
    {
        var source = _w.SeedOurs("snap-0a000000000000004", TimeSpan.FromHours(3));

        var failing = await _w.RunWithCopiesFailingAsync();
        var retried = await _w.RunAsync();

        Assert.Equal(ExitCodes.Success, failing.ExitCode);
        Assert.Empty(failing.Problems);
        var warning = Assert.Single(failing.Warnings);
        Assert.StartsWith($"{source} not copied to eu-central-1: ec2:CopySnapshot failed: InternalError", warning, StringComparison.Ordinal);
        Assert.EndsWith("(snapshot 3h old)", warning, StringComparison.Ordinal);
        Assert.Equal(source, Assert.Single(retried.Started).Source);
        Assert.Single(_w.Ec2.SnapshotsIn(CopyWorld.CopyRegion));
    }

    [Fact]
    public async Task A_snapshot_still_without_a_completed_copy_after_a_day_is_exit_13()
    {
        var source = _w.SeedOurs("snap-0a000000000000005", TimeSpan.FromHours(30));

        var failed = await _w.RunWithCopiesFailingAsync();
        await _w.RunAsync();
        var stillPending = await _w.RunAsync();

        Assert.Equal(ExitCodes.CopyIncomplete, failed.ExitCode);
        Assert.StartsWith($"{source} not copied", Assert.Single(failed.Problems), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.CopyIncomplete, stillPending.ExitCode);
        Assert.Contains("is still pending", Assert.Single(stillPending.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_copy_is_exit_11_at_once()
    {
        _w.SeedOurs("snap-0a000000000000006", TimeSpan.FromHours(1));
        _w.Ec2.Faults.Deny("CopySnapshot");

        var result = await _w.RunAsync();

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        Assert.Contains("ec2:CopySnapshot denied", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_in_error_is_kept_and_a_new_copy_is_made()
    {
        var source = _w.SeedOurs("snap-0a000000000000007", TimeSpan.FromHours(2));
        var broken = Assert.Single((await _w.RunAsync()).Started).Copy;
        _w.Ec2.FailIn(CopyWorld.CopyRegion, broken);

        var result = await _w.RunAsync();

        Assert.Equal(source, Assert.Single(result.Started).Source);
        Assert.Equal(2, _w.Ec2.SnapshotsIn(CopyWorld.CopyRegion).Count);
        Assert.Equal(RetentionReason.Error, result.Retention!.Plan!.Find(broken)!.ReasonCode);
    }

    [Fact]
    public async Task Copies_are_thinned_by_their_own_rules_and_only_ours_by_tags()
    {
        var now = _w.Clock.GetUtcNow();
        Dictionary<string, string> CopyTags(string source) => new(CopyWorld.OurTags(source)) { [ToolTags.SourceSnapshot] = source };
        _w.Ec2.SeedIn(CopyWorld.CopyRegion,
            new SnapshotSeed("snap-0b000000000000001", "vol-ffffffff", now.AddDays(-20)) { Tags = CopyTags("snap-0a00000000000000a") },
            new SnapshotSeed("snap-0b000000000000002", "vol-ffffffff", now.AddDays(-10)) { Tags = CopyTags("snap-0a00000000000000b") },
            new SnapshotSeed("snap-0b000000000000003", "vol-ffffffff", now.AddDays(-2)) { Tags = CopyTags("snap-0a00000000000000c") },
            new SnapshotSeed("snap-0b000000000000004", "vol-ffffffff", now.AddDays(-30)) { Tags = new Dictionary<string, string> { ["Name"] = "someone else's" } },
            new SnapshotSeed("snap-0b000000000000005", "vol-ffffffff", now.AddDays(-30)) { Tags = CopyTags("snap-0a00000000000000d").Where(t => t.Key != ToolTags.SourceSnapshot).ToDictionary() });

        var result = await _w.RunAsync(_w.Settings(copyRetention: TimeSpan.FromDays(7), minKeep: 1));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["snap-0b000000000000001", "snap-0b000000000000002"], result.Retention!.Deleted.Select(d => d.SnapshotId));
        Assert.Equal(["snap-0b000000000000003", "snap-0b000000000000004", "snap-0b000000000000005"],
            _w.Ec2.SnapshotsIn(CopyWorld.CopyRegion).Select(s => s.SnapshotId).Order(StringComparer.Ordinal));
        Assert.All(_w.Ec2.Calls.Of("DeleteSnapshot"), c => Assert.Equal(CopyWorld.CopyRegion, c.Request.Region));
    }

    [Fact]
    public async Task A_snapshot_the_copies_rules_would_not_keep_is_not_copied()
    {
        _w.SeedOurs("snap-0a000000000000008", TimeSpan.FromDays(10));
        var fresh = _w.SeedOurs("snap-0a000000000000009", TimeSpan.FromHours(1));

        var result = await _w.RunAsync(_w.Settings(copyRetention: TimeSpan.FromDays(7), minKeep: 1));

        Assert.Equal([fresh], result.Started.Select(s => s.Source));
    }
}
