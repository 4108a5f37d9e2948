namespace OfflineBackup.Tests.Integration.Ec2;

public sealed class DeleteAndProbeTests : Ec2HarnessTests
{
    [Fact]
    public async Task Delete_removes_the_snapshot()
    {
        var id = SeedOne("snap-0d000000000000001");

        var result = await Harness.Store.DeleteSnapshotAsync(id, CancellationToken.None);

        Assert.Equal(new DeleteResult(id, DeleteOutcome.Deleted, "deleted"), result);
        Assert.Null(Harness.Ec2.Snapshot(id));
    }

    [Fact]
    public async Task Delete_of_a_missing_snapshot_is_already_gone()
    {
        var result = await Harness.Store.DeleteSnapshotAsync("snap-0d000000000000404", CancellationToken.None);

        Assert.Equal(DeleteOutcome.AlreadyGone, result.Outcome);
        Assert.Contains("snap-0d000000000000404", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_of_a_snapshot_backing_an_AMI_is_in_use_and_names_the_image()
    {
        var id = SeedOne("snap-0d000000000000002");
        Harness.Ec2.MarkInUse(id, "ami-0123456789abcdef0");

        var result = await Harness.Store.DeleteSnapshotAsync(id, CancellationToken.None);

        Assert.Equal(DeleteOutcome.InUse, result.Outcome);
        Assert.Equal($"The snapshot {id} is currently in use by ami-0123456789abcdef0", result.Detail);
        Assert.NotNull(Harness.Ec2.Snapshot(id));
    }

    [Fact]
    public async Task Create_probe_is_a_dry_run_that_is_allowed_and_creates_nothing()
    {
        var probe = await Harness.Store.ProbeCreateSnapshotAsync(Ec2Harness.NewSnapshot("run-p"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Allowed, probe.Outcome);
        Assert.Equal("ec2:CreateSnapshot", probe.Action);
        var call = Assert.Single(Harness.Ec2.Calls.All);
        Assert.True(call.DryRun);
        Assert.Equal(412, call.HttpStatus);
        Assert.Equal("snapshot", call.Request.Parameter("TagSpecification.1.ResourceType"));
        Assert.Empty(Harness.Ec2.Snapshots());
    }

    [Fact]
    public async Task Create_probe_denied_names_the_action()
    {
        Harness.Ec2.Faults.Deny("CreateSnapshot");

        var probe = await Harness.Store.ProbeCreateSnapshotAsync(Ec2Harness.NewSnapshot("run-p"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Denied, probe.Outcome);
        Assert.StartsWith("ec2:CreateSnapshot denied: You are not authorized", probe.Detail, StringComparison.Ordinal);
        Assert.Equal(1, Harness.Ec2.Calls.Count("CreateSnapshot", dryRun: true));
    }

    [Fact]
    public async Task Delete_probe_allowed_keeps_the_snapshot_and_denied_names_the_action()
    {
        var id = SeedOne("snap-0d000000000000003");

        var allowed = await Harness.Store.ProbeDeleteSnapshotAsync(id, CancellationToken.None);
        Harness.Ec2.Faults.Deny("DeleteSnapshot");
        var denied = await Harness.Store.ProbeDeleteSnapshotAsync(id, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Allowed, allowed.Outcome);
        Assert.Equal(ProbeOutcome.Denied, denied.Outcome);
        Assert.StartsWith("ec2:DeleteSnapshot denied:", denied.Detail, StringComparison.Ordinal);
        Assert.NotNull(Harness.Ec2.Snapshot(id));
        Assert.All(Harness.Ec2.Calls.All, c => Assert.True(c.DryRun));
    }

    private string SeedOne(string id)
    {
        Harness.Ec2.Seed(new SnapshotSeed(id, Ec2Harness.Volume, DateTimeOffset.UtcNow.AddDays(-3)));
        return id;
    }
}
