namespace OfflineBackup.Tests.Integration.Ec2;

public sealed class SnapshotSweepTests : Ec2HarnessTests
{
    private const string OtherVolume = "vol-0ffff000000000001";
    private const string OtherAccount = "999999999999";
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sweep_returns_every_own_snapshot_of_the_volume_across_pages_and_nothing_else()
    {
        var ours = Seed(Harness.Ec2, 2_600, Ec2Harness.Volume, owner: null, idPrefix: "a");
        Seed(Harness.Ec2, 300, OtherVolume, owner: null, idPrefix: "b");
        Seed(Harness.Ec2, 200, Ec2Harness.Volume, owner: OtherAccount, idPrefix: "c");

        var listed = await Harness.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None);

        Assert.Equal(ours.OrderBy(x => x, StringComparer.Ordinal), listed.Select(s => s.Id).OrderBy(x => x, StringComparer.Ordinal));
        var calls = Harness.Ec2.Calls.Of("DescribeSnapshots");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c =>
        {
            Assert.Equal("self", c.Request.Parameter("Owner.1"));
            Assert.Equal("volume-id", c.Request.Parameter("Filter.1.Name"));
            Assert.Equal(Ec2Harness.Volume, c.Request.Parameter("Filter.1.Value.1"));
            Assert.Equal("1000", c.Request.Parameter("MaxResults"));
        });
        Assert.Null(calls[0].Request.Parameter("NextToken"));
        Assert.NotNull(calls[1].Request.Parameter("NextToken"));
        Assert.NotEqual(calls[1].Request.Parameter("NextToken"), calls[2].Request.Parameter("NextToken"));
    }

    [Fact]
    public async Task Sweep_follows_NextToken_when_EC2_returns_short_pages()
    {
        var ours = Seed(Harness.Ec2, 1_050, Ec2Harness.Volume, owner: null, idPrefix: "d");
        Harness.Ec2.MaxPageSize = 300;

        var listed = await Harness.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None);

        Assert.Equal(ours.Count, listed.Select(s => s.Id).Distinct().Count());
        Assert.Equal(4, Harness.Ec2.Calls.Count("DescribeSnapshots"));
    }

    [Fact]
    public async Task Sweep_copies_every_field_EC2_reports()
    {
        var start = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
        Harness.Ec2.Seed(new SnapshotSeed("snap-0123456789abcdef0", Ec2Harness.Volume, start)
        {
            State = "pending",
            Progress = "42%",
            VolumeSizeGiB = 750,
            Description = "nightly <db> & \"quotes\"",
            Tags = new Dictionary<string, string> { ["Name"] = "replica", [ToolTags.RunId] = "run-7" },
        });

        var snapshot = Assert.Single(await Harness.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None));

        Assert.Equal("snap-0123456789abcdef0", snapshot.Id);
        Assert.Equal(Ec2Harness.Volume, snapshot.VolumeId);
        Assert.Equal(SnapshotState.Pending, snapshot.State);
        Assert.Equal("42%", snapshot.Progress);
        Assert.Equal(start, snapshot.StartTime);
        Assert.Equal(TimeSpan.Zero, snapshot.StartTime.Offset);
        Assert.Equal(750, snapshot.VolumeSizeGiB);
        Assert.Equal("nightly <db> & \"quotes\"", snapshot.Description);
        Assert.Equal("replica", snapshot.Tag("Name"));
        Assert.Equal("run-7", snapshot.Tag(ToolTags.RunId));
    }

    [Fact]
    public async Task Sweep_of_a_volume_without_snapshots_is_empty()
    {
        Seed(Harness.Ec2, 10, OtherVolume, owner: null, idPrefix: "e");

        Assert.Empty(await Harness.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None));
    }

    private static List<string> Seed(Ec2Double ec2, int count, string volume, string? owner, string idPrefix)
    {
        var seeds = Enumerable.Range(0, count).Select(i => new SnapshotSeed(
            $"snap-{idPrefix}{i:x16}", volume, Epoch.AddHours(i))
        {
            OwnerId = owner,
            Tags = new Dictionary<string, string> { [ToolTags.CreatedBy] = ToolTags.CreatedByValue },
        }).ToList();
        ec2.Seed(seeds);
        return seeds.Select(s => s.SnapshotId).ToList();
    }
}
