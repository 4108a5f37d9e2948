namespace OfflineBackup.Tests.Integration.Ec2;

public sealed class CreateSnapshotTests : Ec2HarnessTests
{
    [Fact]
    public async Task Create_sends_every_tag_at_creation_and_they_round_trip()
    {
        var request = Ec2Harness.NewSnapshot("run-create-1");

        var created = await Harness.Store.CreateSnapshotAsync(request, CancellationToken.None);

        Assert.StartsWith("snap-", created.Id, StringComparison.Ordinal);
        Assert.Equal(SnapshotState.Pending, created.State);
        Assert.Equal(Ec2Harness.Volume, created.VolumeId);
        Assert.Equal(500, created.VolumeSizeGiB);
        Assert.Equal(request.Description, created.Description);
        Assert.Equal(request.Tags.OrderBy(t => t.Key), created.Tags.OrderBy(t => t.Key));

        var call = Assert.Single(Harness.Ec2.Calls.All);
        Assert.Equal("CreateSnapshot", call.Action);
        Assert.False(call.DryRun);
        Assert.Equal("snapshot", call.Request.Parameter("TagSpecification.1.ResourceType"));
        Assert.Equal(request.Tags.Count, call.Request.Parameters.Keys.Count(k => k.StartsWith("TagSpecification.1.Tag.", StringComparison.Ordinal) && k.EndsWith(".Key", StringComparison.Ordinal)));
        Assert.Equal(0, Harness.Ec2.Calls.Count("CreateTags"));

        var stored = Harness.Ec2.Snapshot(created.Id)!;
        Assert.Equal(request.Tags.OrderBy(t => t.Key), stored.Tags.OrderBy(t => t.Key));
        var found = await Harness.Store.FindSnapshotAsync(created.Id, CancellationToken.None);
        Assert.Equal(request.Tags.OrderBy(t => t.Key), found!.Tags.OrderBy(t => t.Key));
    }

    [Fact]
    public async Task Default_completion_is_pending_on_the_first_describe_and_completed_on_the_second()
    {
        var created = await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-2"), CancellationToken.None);

        var first = await Harness.Store.FindSnapshotAsync(created.Id, CancellationToken.None);
        var second = await Harness.Store.FindSnapshotAsync(created.Id, CancellationToken.None);

        Assert.Equal(SnapshotState.Pending, first!.State);
        Assert.Equal(SnapshotState.Completed, second!.State);
        Assert.Equal("100%", second.Progress);
    }

    [Fact]
    public async Task Manual_completion_stays_pending_until_the_test_settles_it()
    {
        Harness.Ec2.Completion = SnapshotCompletion.Manual;
        var good = await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-3"), CancellationToken.None);
        var bad = await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-4"), CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SnapshotState.Pending, (await Harness.Store.FindSnapshotAsync(good.Id, CancellationToken.None))!.State);
        }

        Harness.Ec2.Complete(good.Id);
        Harness.Ec2.Fail(bad.Id, "Snapshot creation failed: volume I/O error");

        Assert.Equal(SnapshotState.Completed, (await Harness.Store.FindSnapshotAsync(good.Id, CancellationToken.None))!.State);
        Assert.Equal(SnapshotState.Error, (await Harness.Store.FindSnapshotAsync(bad.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Completion_after_N_describes_counts_describe_calls()
    {
        Harness.Ec2.Completion = new SnapshotCompletion.AfterDescribeCalls(3);
        var created = await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-5"), CancellationToken.None);

        var states = new List<SnapshotState>();
        for (var i = 0; i < 4; i++)
        {
            states.Add((await Harness.Store.FindSnapshotAsync(created.Id, CancellationToken.None))!.State);
        }

        Assert.Equal([SnapshotState.Pending, SnapshotState.Pending, SnapshotState.Completed, SnapshotState.Completed], states);
    }

    [Fact]
    public async Task Find_by_run_id_returns_only_our_volume_and_that_run()
    {
        const string otherVolume = "vol-0bbbbbbbbbbbbbbbb";
        Harness.Ec2.AddVolume(otherVolume);
        var ours = await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-wanted"), CancellationToken.None);
        await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-other"), CancellationToken.None);
        await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-wanted", otherVolume), CancellationToken.None);

        var found = await Harness.Store.FindByRunIdAsync(Ec2Harness.Volume, "run-wanted", CancellationToken.None);
        var missing = await Harness.Store.FindByRunIdAsync(Ec2Harness.Volume, "run-never", CancellationToken.None);

        Assert.Equal(ours.Id, found!.Id);
        Assert.Null(missing);
        var lookup = Harness.Ec2.Calls.Of("DescribeSnapshots")[0].Request;
        Assert.Equal("tag:" + ToolTags.RunId, lookup.Parameter("Filter.2.Name"));
        Assert.Equal("run-wanted", lookup.Parameter("Filter.2.Value.1"));
        Assert.Equal("self", lookup.Parameter("Owner.1"));
    }

    [Fact]
    public async Task Find_snapshot_of_an_unknown_id_is_null()
    {
        Assert.Null(await Harness.Store.FindSnapshotAsync("snap-00000000000000000", CancellationToken.None));
        Assert.Equal("InvalidSnapshot.NotFound", Harness.Ec2.Calls.All.Single().ErrorCode);
    }

    [Fact]
    public async Task Create_on_an_unknown_volume_fails_with_exit_8()
    {
        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-x", "vol-0000000000000dead"), CancellationToken.None));

        Assert.Equal(ExitCodes.SnapshotFailed, error.ExitCode);
        Assert.Equal("InvalidVolume.NotFound", error.ErrorCode);
        Assert.Contains("vol-0000000000000dead", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsAmbiguous);
        Assert.Empty(Harness.Ec2.Snapshots());
    }

    [Fact]
    public async Task The_create_hook_runs_once_per_real_create_before_the_snapshot_exists()
    {
        var seen = new List<(string? Volume, int SnapshotsAtThatMoment)>();
        Harness.Ec2.OnCreateSnapshot = (request, _) =>
        {
            lock (seen)
            {
                seen.Add((request.Parameter("VolumeId"), Harness.Ec2.Snapshots().Count));
            }

            return Task.CompletedTask;
        };

        await Harness.Store.ProbeCreateSnapshotAsync(Ec2Harness.NewSnapshot("run-h"), CancellationToken.None);
        await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-h"), CancellationToken.None);

        Assert.Equal([(Ec2Harness.Volume, 0)], seen);
        Assert.Empty(Harness.Ec2.ServerErrors);
    }
}
