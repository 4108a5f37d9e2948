using Amazon.Runtime;

namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>
/// CopySnapshot and the copies' sweep through the real SDK, signed for a second region that the
/// same EC2 double serves (it tells the regions apart by the SigV4 credential scope).
/// </summary>
public sealed class CopyStoreTests : IAsyncLifetime
{
    public const string CopyRegion = "eu-central-1";
    private const string Source = "snap-0c000000000000001";
    private const string SnapshotInventoryVolume = "vol-ffffffff";

    private readonly Ec2Harness _h = new();
    private Amazon.EC2.AmazonEC2Client? _copyClient;

    private Ec2SnapshotStore CopyStore => new(_copyClient!);

    public async Task InitializeAsync()
    {
        await _h.InitializeAsync();
        _h.Ec2.AddRegion(CopyRegion);
        _copyClient = Ec2ClientFactory.Create(
            new AwsSettings(CopyRegion, _h.Ec2.ServiceUrl),
            new Ec2ClientTuning(new BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"), MaxRetryBackoff: TimeSpan.FromMilliseconds(20)));
        _h.Ec2.Seed(new SnapshotSeed(Source, Ec2Harness.Volume, DateTimeOffset.UtcNow.AddHours(-2)) { Tags = Ec2Harness.NewSnapshot("run-c").Tags });
    }

    public async Task DisposeAsync()
    {
        _copyClient?.Dispose();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task A_copy_lands_in_the_other_region_pending_with_our_tags_and_completes_there()
    {
        var id = await CopyStore.CopySnapshotAsync(Request(), CancellationToken.None);

        var copy = _h.Ec2.SnapshotIn(CopyRegion, id)!;
        Assert.Equal("pending", copy.State);
        Assert.Equal(SnapshotInventoryVolume, copy.VolumeId);
        Assert.Equal(Source, copy.Tags[ToolTags.SourceSnapshot]);
        Assert.Null(_h.Ec2.Snapshot(id));
        var call = _h.Ec2.Calls.Of("CopySnapshot").Single();
        Assert.Equal((CopyRegion, "us-east-1", Source), (call.Request.Region, call.Request.Parameter("SourceRegion"), call.Request.Parameter("SourceSnapshotId")));

        var pending = Assert.Single(await CopyStore.ListCopiesAsync(Ec2Harness.Volume, CancellationToken.None));
        _h.Ec2.CompleteIn(CopyRegion, id);
        var completed = Assert.Single(await CopyStore.ListCopiesAsync(Ec2Harness.Volume, CancellationToken.None));

        Assert.Equal((id, SnapshotState.Pending), (pending.Id, pending.State));
        Assert.Equal(SnapshotState.Completed, completed.State);
        Assert.Empty(await CopyStore.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None));
        Assert.Single(await _h.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None));
    }

    [Fact]
    public async Task The_sweep_of_copies_goes_by_tags_and_ignores_what_is_not_our_copy_of_this_volume()
    {
        var ours = await CopyStore.CopySnapshotAsync(Request(), CancellationToken.None);
        _h.Ec2.SeedIn(CopyRegion,
            new SnapshotSeed("snap-0c0000000000000f1", "vol-ffffffff", DateTimeOffset.UtcNow) { Tags = Ec2Harness.NewSnapshot("x").Tags },
            new SnapshotSeed("snap-0c0000000000000f2", "vol-ffffffff", DateTimeOffset.UtcNow) { Tags = new Dictionary<string, string> { [ToolTags.SourceSnapshot] = Source } });

        var copies = await CopyStore.ListCopiesAsync(Ec2Harness.Volume, CancellationToken.None);

        Assert.Equal([ours], copies.Select(c => c.Id));
    }

    [Fact]
    public async Task A_pending_source_is_refused_by_EC2_and_reported_as_exit_8()
    {
        _h.Ec2.Seed(new SnapshotSeed("snap-0c000000000000002", Ec2Harness.Volume, DateTimeOffset.UtcNow) { State = "pending" });

        var error = await Assert.ThrowsAsync<Ec2OperationException>(
            () => CopyStore.CopySnapshotAsync(Request("snap-0c000000000000002"), CancellationToken.None));

        Assert.Equal((ExitCodes.SnapshotFailed, "IncorrectState"), (error.ExitCode, error.ErrorCode));
        Assert.Empty(_h.Ec2.SnapshotsIn(CopyRegion));
    }

    [Fact]
    public async Task The_copy_probe_is_a_dry_run_that_checks_the_KMS_key()
    {
        _h.Ec2.AddKmsKey("alias/copies");

        var allowed = await CopyStore.ProbeCopySnapshotAsync(Request(kms: "alias/copies"), CancellationToken.None);
        var badKey = await Assert.ThrowsAsync<Ec2OperationException>(
            () => CopyStore.ProbeCopySnapshotAsync(Request(kms: "alias/nope"), CancellationToken.None));
        _h.Ec2.Faults.Deny("CopySnapshot");
        var denied = await CopyStore.ProbeCopySnapshotAsync(Request(kms: "alias/copies"), CancellationToken.None);

        Assert.Equal((ProbeOutcome.Allowed, "ec2:CopySnapshot"), (allowed.Outcome, allowed.Action));
        Assert.Contains("alias/nope", badKey.Message, StringComparison.Ordinal);
        Assert.Equal(ProbeOutcome.Denied, denied.Outcome);
        Assert.All(_h.Ec2.Calls.Of("CopySnapshot"), c => Assert.Equal("true", c.Request.Parameter("Encrypted")));
        Assert.Empty(_h.Ec2.SnapshotsIn(CopyRegion));
    }

    [Fact]
    public async Task A_denied_copy_is_exit_11()
    {
        _h.Ec2.Faults.Deny("CopySnapshot");

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() => CopyStore.CopySnapshotAsync(Request(), CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
    }

    private static SnapshotCopyRequest Request(string source = Source, string? kms = null) => new(
        "us-east-1", source, $"offline-backup copy of {source}", kms,
        new Dictionary<string, string>(Ec2Harness.NewSnapshot("run-c").Tags)
        {
            [ToolTags.SourceSnapshot] = source,
            [ToolTags.SourceRegion] = "us-east-1",
        });
}
