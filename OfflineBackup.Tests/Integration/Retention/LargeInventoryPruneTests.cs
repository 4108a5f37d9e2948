namespace OfflineBackup.Tests.Integration.Retention;

/// <summary>Retention over more than 2,500 snapshots of the volume, through the real SDK and the EC2 double.</summary>
public sealed class LargeInventoryPruneTests : IAsyncLifetime
{
    private readonly RetentionStepFixture _f = new();
    private readonly RetentionInventory _inventory = RetentionInventory.Large();

    public async Task InitializeAsync()
    {
        await _f.InitializeAsync();
        _inventory.SeedInto(_f.Ec2);
    }

    public Task DisposeAsync() => _f.DisposeAsync();

    [Fact]
    public async Task Prune_deletes_exactly_the_planned_snapshots_oldest_first_from_one_paginated_sweep()
    {
        var expected = _inventory.ExpectedDeletions(maxDeletes: 200, adoptLegacy: true);
        Assert.Equal(200, expected.Count);
        Assert.True(_inventory.SweepCount > 2_500);

        var result = await _f.Step(_f.Settings(maxDeletes: 200, adoptLegacy: true)).RunAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(expected, result.Deleted.Select(d => d.SnapshotId));
        Assert.Equal(expected, _f.RealDeleteCalls());
        Assert.Equal(RetentionStepFixture.Without(_inventory.AllIds, expected), _f.Remaining());
        Assert.Equal(_inventory.SweepCount, result.Plan!.Decisions.Count);
        Assert.Equal(70, result.Plan.DeferredCount);
        Assert.Equal(3, _f.Ec2.Calls.Count("DescribeSnapshots"));
        Assert.Empty(result.Failed);
        Assert.Empty(result.InUse);
        Assert.Empty(_f.Ec2.ServerErrors);
    }

    [Fact]
    public async Task Without_adopt_legacy_only_our_own_tagged_snapshots_are_deleted()
    {
        var expected = _inventory.ExpectedDeletions(maxDeletes: 1000, adoptLegacy: false);
        Assert.Equal(120, expected.Count);

        var result = await _f.Step(_f.Settings(maxDeletes: 1000)).RunAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(expected, _f.RealDeleteCalls());
        Assert.Equal(RetentionStepFixture.Without(_inventory.AllIds, expected), _f.Remaining());
    }

    [Fact]
    public async Task Max_deletes_spreads_the_backlog_over_runs_and_a_run_with_nothing_left_deletes_nothing()
    {
        var all = _inventory.ExpectedDeletions(maxDeletes: int.MaxValue, adoptLegacy: true);
        var settings = _f.Settings(maxDeletes: 200, adoptLegacy: true);

        var first = await _f.Step(settings).RunAsync(CancellationToken.None);
        var second = await _f.Step(settings).RunAsync(CancellationToken.None);
        var callsBeforeThird = _f.RealDeleteCalls().Count;
        var third = await _f.Step(settings).RunAsync(CancellationToken.None);

        Assert.Equal(all.Take(200), first.Deleted.Select(d => d.SnapshotId));
        Assert.Equal(all.Skip(200), second.Deleted.Select(d => d.SnapshotId));
        Assert.Empty(third.Deleted);
        Assert.Equal(0, third.Plan!.DeleteCount);
        Assert.Equal(all.Count, callsBeforeThird);
        Assert.Equal(all, _f.RealDeleteCalls());
        Assert.Equal(RetentionStepFixture.Without(_inventory.AllIds, all), _f.Remaining());
        Assert.All(new[] { first, second, third }, r => Assert.Equal(ExitCodes.Success, r.ExitCode));
    }
}
