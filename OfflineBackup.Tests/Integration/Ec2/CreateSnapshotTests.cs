using OfflineBackup.Aws;
using OfflineBackup.Commands;

namespace OfflineBackup.Tests.Integration.Ec2;

public sealed class CreateSnapshotTests : IAsyncLifetime
{
    private readonly Ec2Harness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Create_sends_every_tag_at_creation_and_they_round_trip()
    {
        var request = Ec2Harness.NewSnapshot("run-create-1");

        var created = await _h.Store.CreateSnapshotAsync(request, CancellationToken.None);

        Assert.StartsWith("snap-", created.Id, StringComparison.Ordinal);
        Assert.Equal(SnapshotState.Pending, created.State);
        Assert.Equal(Ec2Harness.Volume, created.VolumeId);
        Assert.Equal(500, created.VolumeSizeGiB);
        Assert.Equal(request.Description, created.Description);
        Assert.Equal(request.Tags.OrderBy(t => t.Key), created.Tags.OrderBy(t => t.Key));

        var call = Assert.Single(_h.Ec2.Calls.All);
        Assert.Equal("CreateSnapshot", call.Action);
        Assert.False(call.DryRun);
        Assert.Equal("snapshot", call.Request.Parameter("TagSpecification.1.ResourceType"));
        Assert.Equal(request.Tags.Count, call.Request.Parameters.Keys.Count(k => k.StartsWith("TagSpecification.1.Tag.", StringComparison.Ordinal) && k.EndsWith(".Key", StringComparison.Ordinal)));
        Assert.Equal(0, _h.Ec2.Calls.Count("CreateTags"));

        var stored = _h.Ec2.Snapshot(created.Id)!;
        Assert.Equal(request.Tags.OrderBy(t => t.Key), stored.Tags.OrderBy(t => t.Key));
        var found = await _h.Store.FindSnapshotAsync(created.Id, CancellationToken.None);
        Assert.Equal(request.Tags.OrderBy(t => t.Key), found!.Tags.OrderBy(t => t.Key));
    }

    [Fact]
    public async Task Default_completion_is_pending_on_the_first_describe_and_completed_on_the_second()
    {
        var created = await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-2"), CancellationToken.None);

        var first = await _h.Store.FindSnapshotAsync(created.Id, CancellationToken.None);
        var second = await _h.Store.FindSnapshotAsync(created.Id, CancellationToken.None);

        Assert.Equal(SnapshotState.Pending, first!.State);
        Assert.Equal(SnapshotState.Completed, second!.State);
        Assert.Equal("100%", second.Progress);
    }

    [Fact]
    public async Task Manual_completion_stays_pending_until_the_test_settles_it()
    {
        _h.Ec2.Completion = SnapshotCompletion.Manual;
        var good = await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-3"), CancellationToken.None);
        var bad = await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-4"), CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SnapshotState.Pending, (await _h.Store.FindSnapshotAsync(good.Id, CancellationToken.None))!.State);
        }

        _h.Ec2.Complete(good.Id);
        _h.Ec2.Fail(bad.Id, "Snapshot creation failed: volume I/O error");

        Assert.Equal(SnapshotState.Completed, (await _h.Store.FindSnapshotAsync(good.Id, CancellationToken.None))!.State);
        Assert.Equal(SnapshotState.Error, (await _h.Store.FindSnapshotAsync(bad.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Completion_after_N_describes_counts_describe_calls()
    {
        _h.Ec2.Completion = new SnapshotCompletion.AfterDescribeCalls(3);
        var created = await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-5"), CancellationToken.None);

        var states = new List<SnapshotState>();
        for (var i = 0; i < 4; i++)
        {
            states.Add((await _h.Store.FindSnapshotAsync(created.Id, CancellationToken.None))!.State);
        }

        Assert.Equal([SnapshotState.Pending, SnapshotState.Pending, SnapshotState.Completed, SnapshotState.Completed], states);
    }

    [Fact]
    public async Task Find_by_run_id_returns_only_our_volume_and_that_run()
    {
        const string otherVolume = "vol-0bbbbbbbbbbbbbbbb";
        _h.Ec2.AddVolume(otherVolume);
        var ours = await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-wanted"), CancellationToken.None);
        await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-other"), CancellationToken.None);
        await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-wanted", otherVolume), CancellationToken.None);

        var found = await _h.Store.FindByRunIdAsync(Ec2Harness.Volume, "run-wanted", CancellationToken.None);
        var missing = await _h.Store.FindByRunIdAsync(Ec2Harness.Volume, "run-never", CancellationToken.None);

        Assert.Equal(ours.Id, found!.Id);
        Assert.Null(missing);
        var lookup = _h.Ec2.Calls.Of("DescribeSnapshots")[0].Request;
        Assert.Equal("tag:" + OwnershipTags.RunId, lookup.Parameter("Filter.2.Name"));
        Assert.Equal("run-wanted", lookup.Parameter("Filter.2.Value.1"));
        Assert.Equal("self", lookup.Parameter("Owner.1"));
    }

    [Fact]
    public async Task Find_snapshot_of_an_unknown_id_is_null()
    {
        Assert.Null(await _h.Store.FindSnapshotAsync("snap-00000000000000000", CancellationToken.None));
        Assert.Equal("InvalidSnapshot.NotFound", _h.Ec2.Calls.All.Single().ErrorCode);
    }

    [Fact]
    public async Task Create_on_an_unknown_volume_fails_with_exit_8()
    {
        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-x", "vol-0000000000000dead"), CancellationToken.None));

        Assert.Equal(ExitCodes.SnapshotFailed, error.ExitCode);
        Assert.Equal("InvalidVolume.NotFound", error.ErrorCode);
        Assert.Contains("vol-0000000000000dead", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsAmbiguous);
        Assert.Empty(_h.Ec2.Snapshots());
    }

    [Fact]
    public async Task The_create_hook_runs_once_per_real_create_before_the_snapshot_exists()
    {
        var seen = new List<(string? Volume, int SnapshotsAtThatMoment)>();
        _h.Ec2.OnCreateSnapshot = (request, _) =>
        {
            lock (seen)
            {
                seen.Add((request.Parameter("VolumeId"), _h.Ec2.Snapshots().Count));
            }

            return Task.CompletedTask;
        };

        await _h.Store.ProbeCreateSnapshotAsync(Ec2Harness.NewSnapshot("run-h"), CancellationToken.None);
        await _h.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-h"), CancellationToken.None);

        Assert.Equal([(Ec2Harness.Volume, 0)], seen);
        Assert.Empty(_h.Ec2.ServerErrors);
    }
}
