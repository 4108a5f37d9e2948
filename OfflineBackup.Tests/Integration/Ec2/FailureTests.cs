using Amazon.Runtime;

namespace OfflineBackup.Tests.Integration.Ec2;

public sealed class FailureTests : Ec2HarnessTests
{
    [Fact]
    public async Task Http_500_is_retried_by_the_SDK_then_surfaces_as_exit_8_marked_ambiguous()
    {
        Harness.Ec2.Faults.FailAlways("CreateSnapshot", Ec2Fault.InternalError());

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-500"), CancellationToken.None));

        Assert.Equal(ExitCodes.SnapshotFailed, error.ExitCode);
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.True(error.IsAmbiguous);
        Assert.StartsWith("ec2:CreateSnapshot failed: InternalError", error.Message, StringComparison.Ordinal);
        var calls = Harness.Ec2.Calls.Of("CreateSnapshot");
        Assert.True(calls.Count > 1, $"expected SDK retries, saw {calls.Count} call(s)");
        Assert.All(calls, c => Assert.Equal(500, c.HttpStatus));
    }

    [Fact]
    public async Task UnauthorizedOperation_is_exit_11_naming_the_action_and_not_retried()
    {
        Harness.Ec2.Faults.Deny("CreateSnapshot");

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-403"), CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.StartsWith("ec2:CreateSnapshot denied: You are not authorized to perform this operation.", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsAmbiguous);
        Assert.Equal(1, Harness.Ec2.Calls.Count("CreateSnapshot"));
    }

    [Fact]
    public async Task AuthFailure_on_a_listing_is_exit_11()
    {
        Harness.Ec2.Faults.FailAlways("DescribeSnapshots", Ec2Fault.AuthFailure());

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            Harness.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.StartsWith("ec2:DescribeSnapshots denied:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_denied_is_exit_11_not_a_delete_outcome()
    {
        Harness.Ec2.Seed(new SnapshotSeed("snap-0f000000000000001", Ec2Harness.Volume, DateTimeOffset.UtcNow));
        Harness.Ec2.Faults.Deny("DeleteSnapshot");

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            Harness.Store.DeleteSnapshotAsync("snap-0f000000000000001", CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.StartsWith("ec2:DeleteSnapshot denied:", error.Message, StringComparison.Ordinal);
        Assert.NotNull(Harness.Ec2.Snapshot("snap-0f000000000000001"));
    }

    [Fact]
    public async Task Per_volume_rate_limit_surfaces_once_as_a_distinguishable_error()
    {
        Harness.Ec2.Faults.FailNext("CreateSnapshot", 1, Ec2Fault.SnapshotCreationPerVolumeRateExceeded());

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-rate"), CancellationToken.None));
        var retried = await Harness.Store.CreateSnapshotAsync(Ec2Harness.NewSnapshot("run-rate"), CancellationToken.None);

        Assert.True(error.IsPerVolumeRateExceeded);
        Assert.False(error.IsAmbiguous);
        Assert.Equal(ExitCodes.SnapshotFailed, error.ExitCode);
        Assert.Equal(SnapshotState.Pending, retried.State);
        Assert.Equal([400, 200], Harness.Ec2.Calls.Of("CreateSnapshot").Select(c => c.HttpStatus));
    }

    [Fact]
    public async Task Missing_credentials_are_exit_11()
    {
        using var client = Ec2Harness.CreateClient(Harness.Ec2, new NoCredentials());
        var store = new Ec2SnapshotStore(client);

        var error = await Assert.ThrowsAsync<Ec2OperationException>(() =>
            store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.StartsWith("ec2:DescribeSnapshots denied: no usable AWS credentials", error.Message, StringComparison.Ordinal);
        Assert.Empty(Harness.Ec2.Calls.All);
    }

    [Fact]
    public async Task Cancellation_is_not_turned_into_an_EC2_failure()
    {
        Harness.Ec2.Faults.AddLatency("DescribeSnapshots", TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Harness.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, cancel.Token));
    }

    // Fails the way the SDK's default chain fails when it finds nothing (same exception type and wording).
    private sealed class NoCredentials : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() =>
            throw new AmazonClientException("Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors: none found");

        public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromResult(GetCredentials());
    }
}
