namespace OfflineBackup.Tests.Integration.Retention;

/// <summary>
/// Snapshot Locks and AMIs against a real prune: the real SDK client, the EC2 double, the small
/// inventory's five expired snapshots of ours as the candidates.
/// </summary>
public sealed class ProtectedRetentionTests : SmallInventoryTests
{
    private const string Image = "ami-0123456789abcdef0";

    [Fact]
    public async Task A_locked_snapshot_is_kept_with_its_mode_and_end_and_never_asked_to_be_deleted()
    {
        // The double reads locks on its own (real) clock: an end in its past would read "expired".
        var end = new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero);
        _f.Ec2.LockSnapshot(_candidates[0], "compliance", end);
        _f.Ec2.LockSnapshot(_candidates[3], "governance", end);

        var result = await _f.RunAsync(maxDeletes: 2);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal([_candidates[1], _candidates[2]], result.Deleted.Select(d => d.SnapshotId));
        Assert.Equal([_candidates[1], _candidates[2]], _f.RealDeleteCalls());
        var locked = result.Plan!.Find(_candidates[0])!;
        Assert.Equal(RetentionReason.Locked, locked.ReasonCode);
        Assert.Equal("locked (compliance until 2099-01-02 03:04:05Z): never deleted", locked.Reason);
        Assert.Equal(RetentionReason.Locked, result.Plan.Find(_candidates[3])!.ReasonCode);
        Assert.Equal(1, _f.Ec2.Calls.Count("DescribeLockedSnapshots"));
    }

    [Fact]
    public async Task An_in_use_snapshot_is_marked_then_kept_without_a_delete_attempt_until_a_week_has_passed()
    {
        _f.Ec2.MarkInUse(_candidates[0], Image);

        var first = await _f.RunAsync(maxDeletes: 1);
        _f.Clock.Advance(TimeSpan.FromHours(1));
        var second = await _f.RunAsync(maxDeletes: 1);

        // First run: the slot went on the AMI's snapshot, which is now marked.
        Assert.Empty(first.Deleted);
        Assert.Equal(_candidates[0], Assert.Single(first.InUse).Decision.SnapshotId);
        Assert.Null(first.InUse[0].NotRemembered);
        Assert.Equal($"{Image} at 2025-06-01T12:00:00Z", _f.Ec2.Snapshot(_candidates[0])!.Tags[ToolTags.InUse]);

        // Second run: kept with the image named, and the slot deletes the next candidate.
        var kept = second.Plan!.Find(_candidates[0])!;
        Assert.Equal(RetentionReason.InUse, kept.ReasonCode);
        Assert.StartsWith($"in use by {Image} (found 2025-06-01 12:00:00Z", kept.Reason, StringComparison.Ordinal);
        Assert.Equal([_candidates[1]], second.Deleted.Select(d => d.SnapshotId));
        Assert.Empty(second.Warnings);
        Assert.Equal([_candidates[0], _candidates[1]], _f.RealDeleteCalls());

        // A week on, it is tried once more; the image is gone now, so it goes.
        _f.Ec2.ReleaseFromImage(_candidates[0]);
        _f.Clock.Advance(InUseMark.Recheck);
        var third = await _f.RunAsync(maxDeletes: 1);
        Assert.Equal([_candidates[0]], third.Deleted.Select(d => d.SnapshotId));
    }

    [Fact]
    public async Task A_mark_that_cannot_be_written_is_a_warning_and_retention_still_succeeds()
    {
        _f.Ec2.MarkInUse(_candidates[0], Image);
        _f.Ec2.Faults.Deny("CreateTags");

        var result = await _f.RunAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(_candidates.Skip(1), result.Deleted.Select(d => d.SnapshotId));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains($"in use by {Image}", warning, StringComparison.Ordinal);
        Assert.Contains("not marked offline-backup:in-use, so every run tries it again: ec2:CreateTags denied", warning, StringComparison.Ordinal);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task Locks_that_cannot_be_read_delete_nothing_and_exit_11()
    {
        _f.Ec2.Faults.Deny("DescribeLockedSnapshots");

        var result = await _f.RunAsync();

        Assert.Equal(ExitCodes.PermissionDenied, result.ExitCode);
        Assert.Null(result.Plan);
        Assert.Contains("ec2:DescribeLockedSnapshots denied", Assert.Single(result.Problems), StringComparison.Ordinal);
        Assert.Empty(_f.RealDeleteCalls());
        Assert.Equal(_inventory.AllIds.Order(StringComparer.Ordinal), _f.Remaining());
    }
}
