namespace OfflineBackup.Tests.Integration.Retention;

/// <summary>
/// EC2 misbehaving in the middle of a prune: an AMI on a snapshot, throttling, 500s, a denied
/// permission, a snapshot deleted behind retention's back. The small inventory's five expired
/// snapshots of ours are the candidates; faults are armed just before one of them.
/// </summary>
public sealed class DeletionFaultTests : SmallInventoryTests
{
    // The SDK's standard retry mode: one call plus two retries before the store gives up.
    private const int SdkAttempts = 3;

    [Fact]
    public async Task A_snapshot_backing_an_AMI_is_skipped_with_the_image_named_and_the_rest_are_deleted()
    {
        _f.Ec2.MarkInUse(_candidates[2], "ami-0123456789abcdef0");

        var result = await _f.RunAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var skipped = Assert.Single(result.InUse);
        Assert.Equal(_candidates[2], skipped.Decision.SnapshotId);
        Assert.Equal("ami-0123456789abcdef0", skipped.ImageId);
        Assert.Contains("in use by ami-0123456789abcdef0", Assert.Single(result.Warnings), StringComparison.Ordinal);
        Assert.Equal(_candidates.Where((_, i) => i != 2), result.Deleted.Select(d => d.SnapshotId));
        Assert.Equal(_candidates, _f.RealDeleteCalls());
        Assert.Equal(RetentionStepFixture.Without(_inventory.AllIds, result.Deleted.Select(d => d.SnapshotId)), _f.Remaining());
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_SDK_retries_is_waited_out_and_the_deletion_goes_through()
    {
        _f.FailFirstDeletionOf(_candidates[1], 2 * SdkAttempts, Ec2Fault.RequestLimitExceeded());

        var result = await _f.RunAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(_candidates, result.Deleted.Select(d => d.SnapshotId));
        var calls = _f.Ec2.Calls.Of("DeleteSnapshot").Where(c => c.Request.Parameter("SnapshotId") == _candidates[1]);
        Assert.Equal([.. Enumerable.Repeat(503, 2 * SdkAttempts), 200], calls.Select(c => c.HttpStatus));
    }

    [Fact]
    public async Task Throttling_beyond_every_retry_fails_that_deletion_only_with_exit_10_naming_it()
    {
        // Four attempts of the step (one plus three backoffs), each the SDK's three.
        _f.FailFirstDeletionOf(_candidates[1], 4 * SdkAttempts, Ec2Fault.RequestLimitExceeded());

        var result = await _f.RunAsync();

        Assert.Equal(ExitCodes.RetentionIncomplete, result.ExitCode);
        var failed = Assert.Single(result.Failed);
        Assert.Equal(_candidates[1], failed.Decision.SnapshotId);
        Assert.Equal("RequestLimitExceeded", failed.ErrorCode);
        Assert.Contains(result.Problems, p => p.StartsWith(_candidates[1] + " not deleted:", StringComparison.Ordinal));
        Assert.Equal(_candidates.Where((_, i) => i != 1), result.Deleted.Select(d => d.SnapshotId));
        Assert.NotNull(_f.Ec2.Snapshot(_candidates[1]));
    }

    [Fact]
    public async Task A_deletion_failing_with_500s_is_recorded_the_prune_goes_on_and_exits_10()
    {
        _f.FailFirstDeletionOf(_candidates[1], SdkAttempts, Ec2Fault.InternalError());

        var result = await _f.RunAsync();

        Assert.Equal(ExitCodes.RetentionIncomplete, result.ExitCode);
        var failed = Assert.Single(result.Failed);
        Assert.Equal((_candidates[1], "InternalError", ExitCodes.RetentionIncomplete), (failed.Decision.SnapshotId, failed.ErrorCode, failed.ExitCode));
        Assert.Equal(_candidates.Where((_, i) => i != 1), result.Deleted.Select(d => d.SnapshotId));
        Assert.Equal(RetentionStepFixture.Without(_inventory.AllIds, result.Deleted.Select(d => d.SnapshotId)), _f.Remaining());
        Assert.Contains(_candidates[1], result.Summary() + string.Join(" ", result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Permission_denied_stops_the_deletions_at_once_with_exit_11()
    {
        _f.Store.BeforeFirstDeleteOf(_candidates[2], () => _f.Ec2.Faults.Deny("DeleteSnapshot"));

        var result = await _f.RunAsync();

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        Assert.Equal(_candidates.Take(2), result.Deleted.Select(d => d.SnapshotId));
        Assert.Equal(_candidates[2], Assert.Single(result.Failed).Decision.SnapshotId);
        Assert.Equal(_candidates.Skip(3), result.NotAttempted.Select(d => d.SnapshotId));
        Assert.Equal(_candidates.Take(3), _f.RealDeleteCalls());
        Assert.Contains(result.Problems, p => p.Contains("not attempted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_snapshot_already_gone_when_its_turn_comes_is_fine()
    {
        var plan = await _f.Step(_f.Settings()).PlanAsync(CancellationToken.None);
        await _f.Store.DeleteSnapshotAsync(_candidates[0], CancellationToken.None);

        var result = await _f.Step(_f.Settings()).ExecuteAsync(plan, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(_candidates[0], Assert.Single(result.AlreadyGone).SnapshotId);
        Assert.Equal(_candidates.Skip(1), result.Deleted.Select(d => d.SnapshotId));
    }

    [Theory]
    [InlineData("deny", ExitCodes.PermissionDenied)]
    [InlineData("500", ExitCodes.RetentionIncomplete)]
    public async Task A_sweep_that_fails_deletes_nothing_and_says_why(string fault, int exitCode)
    {
        if (fault == "deny")
        {
            _f.Ec2.Faults.Deny("DescribeSnapshots");
        }
        else
        {
            _f.Ec2.Faults.FailAlways("DescribeSnapshots", Ec2Fault.InternalError());
        }

        var result = await _f.RunAsync();

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Null(result.Plan);
        Assert.Contains("cannot list the snapshots of " + RetentionInventory.Volume, Assert.Single(result.Problems), StringComparison.Ordinal);
        Assert.Equal(0, _f.Ec2.Calls.Count("DeleteSnapshot"));
    }

    [Fact]
    public async Task The_dry_run_probe_asks_EC2_about_the_first_candidate_and_deletes_nothing()
    {
        var plan = await _f.Step(_f.Settings()).PlanAsync(CancellationToken.None);

        var allowed = await _f.Step(_f.Settings()).ProbeAsync(plan, [], CancellationToken.None);
        _f.Ec2.Faults.Deny("DeleteSnapshot");
        var denied = await _f.Step(_f.Settings()).ProbeAsync(plan, [], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Allowed, allowed!.Outcome);
        Assert.Equal(ProbeOutcome.Denied, denied!.Outcome);
        var calls = _f.Ec2.Calls.Of("DeleteSnapshot");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.True(c.DryRun));
        Assert.All(calls, c => Assert.Equal(_candidates[0], c.Request.Parameter("SnapshotId")));
        Assert.Equal(_inventory.AllIds.Order(StringComparer.Ordinal), _f.Remaining());
    }
}
