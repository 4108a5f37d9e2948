namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>DescribeLockedSnapshots, CreateTags and DeleteTags through the real SDK client to the EC2 double.</summary>
public sealed class ProtectionStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset LockEnd = new(2099, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly Ec2Harness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Locks_come_back_with_their_mode_and_end_and_an_ended_lock_reads_expired()
    {
        var compliance = SeedOne("snap-0e000000000000001");
        var governance = SeedOne("snap-0e000000000000002");
        var ended = SeedOne("snap-0e000000000000003");
        SeedOne("snap-0e000000000000004");
        var lockEnd = LockEnd;
        _h.Ec2.LockSnapshot(compliance, "compliance", lockEnd);
        _h.Ec2.LockSnapshot(governance, "governance", lockEnd);
        _h.Ec2.LockSnapshot(ended, "compliance", DateTimeOffset.UtcNow.AddMinutes(-1));

        var locks = await _h.Store.ListLockedSnapshotsAsync(CancellationToken.None);

        Assert.Equal([compliance, governance, ended], locks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new SnapshotLock("compliance", lockEnd), locks[compliance]);
        Assert.Equal(new SnapshotLock("governance", lockEnd), locks[governance]);
        Assert.False(locks[ended].IsActive);
        Assert.True(locks[compliance].IsActive);
    }

    [Fact]
    public async Task The_sweep_carries_each_snapshot_s_lock()
    {
        var locked = SeedOne("snap-0e000000000000011");
        var free = SeedOne("snap-0e000000000000012");
        _h.Ec2.LockSnapshot(locked, "compliance-cooloff", LockEnd);

        var sweep = await _h.Store.ListWithLocksAsync(Ec2Harness.Volume, CancellationToken.None);

        Assert.Equal("compliance-cooloff", sweep.Single(s => s.Id == locked).Lock?.State);
        Assert.Null(sweep.Single(s => s.Id == free).Lock);
    }

    [Fact]
    public async Task An_empty_sweep_does_not_ask_for_locks()
    {
        var sweep = await _h.Store.ListWithLocksAsync(Ec2Harness.Volume, CancellationToken.None);

        Assert.Empty(sweep);
        Assert.Equal(0, _h.Ec2.Calls.Count("DescribeLockedSnapshots"));
    }

    [Fact]
    public async Task A_denied_lock_listing_fails_the_sweep_with_exit_11()
    {
        SeedOne("snap-0e000000000000021");
        _h.Ec2.Faults.Deny("DescribeLockedSnapshots");

        var error = await Assert.ThrowsAsync<Ec2OperationException>(
            () => _h.Store.ListWithLocksAsync(Ec2Harness.Volume, CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.StartsWith("ec2:DescribeLockedSnapshots denied:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_listing_that_keeps_failing_is_exit_8_after_the_SDK_retries()
    {
        SeedOne("snap-0e000000000000031");
        _h.Ec2.Faults.FailAlways("DescribeLockedSnapshots", Ec2Fault.InternalError());

        var error = await Assert.ThrowsAsync<Ec2OperationException>(
            () => _h.Store.ListWithLocksAsync(Ec2Harness.Volume, CancellationToken.None));

        Assert.Equal(ExitCodes.SnapshotFailed, error.ExitCode);
        Assert.True(_h.Ec2.Calls.Count("DescribeLockedSnapshots") > 1, "the SDK retries a 500");
    }

    [Fact]
    public async Task The_lock_probe_is_a_dry_run_allowed_then_denied()
    {
        var allowed = await _h.Store.ProbeDescribeLockedSnapshotsAsync(CancellationToken.None);
        _h.Ec2.Faults.Deny("DescribeLockedSnapshots");
        var denied = await _h.Store.ProbeDescribeLockedSnapshotsAsync(CancellationToken.None);

        Assert.Equal((ProbeOutcome.Allowed, "ec2:DescribeLockedSnapshots"), (allowed.Outcome, allowed.Action));
        Assert.Equal(ProbeOutcome.Denied, denied.Outcome);
        Assert.All(_h.Ec2.Calls.All, c => Assert.True(c.DryRun));
    }

    [Fact]
    public async Task Tagging_adds_a_tag_and_keeps_the_others()
    {
        var id = SeedOne("snap-0e000000000000041");

        await _h.Store.TagSnapshotAsync(id, new Dictionary<string, string> { [ToolTags.InUse] = "ami-0abc at 2025-06-01T12:00:00Z" }, CancellationToken.None);

        var tags = (await _h.Store.FindSnapshotAsync(id, CancellationToken.None))!.Tags;
        Assert.Equal("ami-0abc at 2025-06-01T12:00:00Z", tags[ToolTags.InUse]);
        Assert.Equal(ToolTags.CreatedByValue, tags[ToolTags.CreatedBy]);
    }

    [Fact]
    public async Task Tagging_denied_is_exit_11_and_changes_nothing()
    {
        var id = SeedOne("snap-0e000000000000051");
        _h.Ec2.Faults.Deny("CreateTags");

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() => _h.Store.TagSnapshotAsync(
            id, new Dictionary<string, string> { [ToolTags.InUse] = "x" }, CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.False(_h.Ec2.Snapshot(id)!.Tags.ContainsKey(ToolTags.InUse));
    }

    [Fact]
    public async Task Untagging_removes_the_named_tags_keeps_the_others_and_ignores_one_it_lacks()
    {
        var id = SeedOne("snap-0e000000000000061");
        await _h.Store.TagSnapshotAsync(id, new Dictionary<string, string> { [ToolTags.ReplicaPosition] = "gtid:0-1-42", [ToolTags.InUse] = "x" }, CancellationToken.None);
        var snapshot = (await _h.Store.FindSnapshotAsync(id, CancellationToken.None))!;

        await _h.Store.UntagSnapshotAsync(snapshot, [ToolTags.ReplicaPosition, "offline-backup:absent"], CancellationToken.None);

        var tags = (await _h.Store.FindSnapshotAsync(id, CancellationToken.None))!.Tags;
        Assert.DoesNotContain(ToolTags.ReplicaPosition, tags.Keys);
        Assert.Equal("x", tags[ToolTags.InUse]);
        Assert.Equal(ToolTags.CreatedByValue, tags[ToolTags.CreatedBy]);
        Assert.Equal(1, _h.Ec2.Calls.Count("DeleteTags"));
    }

    [Fact]
    public async Task Untagging_a_snapshot_not_ours_is_refused_before_any_call()
    {
        var id = "snap-0e000000000000071";
        _h.Ec2.Seed(new SnapshotSeed(id, Ec2Harness.Volume, DateTimeOffset.UtcNow.AddDays(-3))
        {
            Tags = new Dictionary<string, string> { [ToolTags.ReplicaPosition] = "theirs" },
        });
        var snapshot = (await _h.Store.FindSnapshotAsync(id, CancellationToken.None))!;

        var refusal = await Assert.ThrowsAsync<BackupException>(() => _h.Store.UntagSnapshotAsync(snapshot, [ToolTags.ReplicaPosition], CancellationToken.None));

        Assert.Contains("refusing to remove tags", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, _h.Ec2.Calls.Count("DeleteTags"));
        Assert.Equal("theirs", _h.Ec2.Snapshot(id)!.Tags[ToolTags.ReplicaPosition]);
    }

    [Fact]
    public async Task Untagging_denied_is_exit_11_and_changes_nothing()
    {
        var id = SeedOne("snap-0e000000000000081");
        await _h.Store.TagSnapshotAsync(id, new Dictionary<string, string> { [ToolTags.ReplicaPosition] = "gtid:0-1-42" }, CancellationToken.None);
        var snapshot = (await _h.Store.FindSnapshotAsync(id, CancellationToken.None))!;
        _h.Ec2.Faults.Deny("DeleteTags");

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() => _h.Store.UntagSnapshotAsync(snapshot, [ToolTags.ReplicaPosition], CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.Equal("gtid:0-1-42", _h.Ec2.Snapshot(id)!.Tags[ToolTags.ReplicaPosition]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("CreateTags")]
    [InlineData("DeleteTags")]
    public async Task The_late_marking_probes_are_dry_runs_that_name_a_denied_action_and_change_nothing(string? denied)
    {
        var id = SeedOne("snap-0e000000000000091");
        await _h.Store.TagSnapshotAsync(id, new Dictionary<string, string> { [ToolTags.ReplicaPosition] = "gtid:0-1-42" }, CancellationToken.None);
        if (denied is not null)
        {
            _h.Ec2.Faults.Deny(denied);
        }

        var probes = await LateSnapshots.ProbeAsync(_h.Store, id, CancellationToken.None);

        Assert.Equal(["ec2:CreateTags", "ec2:DeleteTags"], probes.Select(p => p.Action));
        foreach (var probe in probes)
        {
            var expected = probe.Action == $"ec2:{denied}" ? ProbeOutcome.Denied : ProbeOutcome.Allowed;
            Assert.True(probe.Outcome == expected, $"{probe.Action}: {probe.Outcome} ({probe.Detail})");
        }

        var calls = _h.Ec2.Calls.All.Where(c => c.Action is "CreateTags" or "DeleteTags").ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls.Skip(1), c => Assert.True(c.DryRun));
        Assert.Equal(ToolTags.Method, calls[1].Request.Parameter("Tag.1.Key"));
        Assert.Equal(ToolTags.ReplicaPosition, calls[2].Request.Parameter("Tag.1.Key"));
        var tags = _h.Ec2.Snapshot(id)!.Tags;
        Assert.Equal("gtid:0-1-42", tags[ToolTags.ReplicaPosition]);
        Assert.False(tags.ContainsKey(ToolTags.Method));
    }

    private string SeedOne(string id)
    {
        _h.Ec2.Seed(new SnapshotSeed(id, Ec2Harness.Volume, DateTimeOffset.UtcNow.AddDays(-3))
        {
            Tags = new Dictionary<string, string> { [ToolTags.CreatedBy] = ToolTags.CreatedByValue },
        });
        return id;
    }
}
