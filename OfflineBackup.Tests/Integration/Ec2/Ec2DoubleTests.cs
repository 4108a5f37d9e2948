using Microsoft.Extensions.Time.Testing;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;

namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>The double's own rules, checked through the raw SDK client so the store cannot hide them.</summary>
public sealed class Ec2DoubleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private Ec2Double? _ec2;
    private AmazonEC2Client? _client;

    private Ec2Double Ec2 => _ec2!;

    private AmazonEC2Client Client => _client!;

    public async Task InitializeAsync()
    {
        _ec2 = await Ec2Double.StartAsync(new Ec2DoubleOptions { TimeProvider = _clock, AccountId = "111122223333" });
        _ec2.AddVolume("vol-01");
        _client = Ec2Harness.CreateClient(_ec2, DummyAws.Credentials);
        _ec2.Seed(
            new SnapshotSeed("snap-01", "vol-01", Start) { Tags = new Dictionary<string, string> { ["Name"] = "db-main", ["role"] = "replica" } },
            new SnapshotSeed("snap-02", "vol-01", Start) { State = "error", Tags = new Dictionary<string, string> { ["Name"] = "db-old" } },
            new SnapshotSeed("snap-03", "vol-02", Start) { OwnerId = "444455556666" });
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _ec2!.DisposeAsync();
    }

    [Theory]
    [InlineData("tag:Name", "db-*", "snap-01,snap-02")]
    [InlineData("tag:Name", "db-m?in", "snap-01")]
    [InlineData("tag-key", "role", "snap-01")]
    [InlineData("status", "error", "snap-02")]
    [InlineData("owner-id", "444455556666", "snap-03")]
    [InlineData("volume-id", "vol-02", "snap-03")]
    public async Task Filters_select_as_EC2_does(string name, string value, string expected)
    {
        var response = await Client.DescribeSnapshotsAsync(new DescribeSnapshotsRequest
        {
            Filters = [new Filter { Name = name, Values = [value] }],
        });

        Assert.Equal(expected, string.Join(",", response.Snapshots!.Select(s => s.SnapshotId).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Owner_self_is_the_double_account()
    {
        var response = await Client.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] });

        Assert.Equal(["snap-01", "snap-02"], response.Snapshots!.Select(s => s.SnapshotId).Order(StringComparer.Ordinal));
        Assert.All(response.Snapshots!, s => Assert.Equal("111122223333", s.OwnerId));
    }

    [Theory]
    [InlineData(4, "InvalidParameterValue")]
    [InlineData(0, "InvalidParameterValue")]
    public async Task MaxResults_below_five_is_refused(int maxResults, string code)
    {
        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            Client.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { MaxResults = maxResults }));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Unknown_snapshot_id_is_not_found_and_cannot_be_paginated()
    {
        var notFound = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            Client.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = ["snap-01", "snap-99"] }));
        var combination = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            Client.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = ["snap-01"], MaxResults = 5 }));

        Assert.Equal("InvalidSnapshot.NotFound", notFound.ErrorCode);
        Assert.Equal("The snapshot 'snap-99' does not exist.", notFound.Message);
        Assert.Equal("InvalidParameterCombination", combination.ErrorCode);
    }

    [Fact]
    public async Task Dry_run_answers_DryRunOperation_with_HTTP_412()
    {
        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            Client.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { DryRun = true }));

        Assert.Equal("DryRunOperation", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.PreconditionFailed, error.StatusCode);
        Assert.True(Ec2.Calls.All.Single().DryRun);
    }

    [Fact]
    public async Task Duration_completion_follows_the_double_clock()
    {
        Ec2.Completion = new SnapshotCompletion.AfterDuration(TimeSpan.FromMinutes(10));
        var created = await Client.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = "vol-01" });
        var id = created.Snapshot!.SnapshotId;

        _clock.Advance(TimeSpan.FromMinutes(5));
        var halfway = Ec2.Snapshot(id)!;
        _clock.Advance(TimeSpan.FromMinutes(5));
        var done = Ec2.Snapshot(id)!;

        Assert.Equal(("pending", "50%"), (halfway.State, halfway.Progress));
        Assert.Equal(("completed", "100%"), (done.State, done.Progress));
        Assert.Equal(Start, created.Snapshot.StartTime is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : default);
    }

    [Fact]
    public async Task Fail_next_consumes_exactly_N_calls_of_that_action_only()
    {
        Ec2.Faults.FailNext("DeleteSnapshot", 2, new Ec2Fault(400, "Custom.Failure", "planned"));

        var first = await Assert.ThrowsAsync<AmazonEC2Exception>(() => Client.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = ["snap-404"] }));
        await Assert.ThrowsAsync<AmazonEC2Exception>(() => Client.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = "snap-01" }));
        await Assert.ThrowsAsync<AmazonEC2Exception>(() => Client.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = "snap-01" }));
        await Client.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = "snap-01" });

        Assert.Equal("InvalidSnapshot.NotFound", first.ErrorCode);
        Assert.Equal(["Custom.Failure", "Custom.Failure", null], Ec2.Calls.Of("DeleteSnapshot").Select(c => c.ErrorCode));
        Assert.Null(Ec2.Snapshot("snap-01"));
    }

    [Fact]
    public async Task A_throwing_hook_is_answered_as_InternalError_and_kept_for_the_test()
    {
        Ec2.OnCreateSnapshot = (_, _) => throw new InvalidOperationException("hook broke");

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            Client.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = "vol-01" }));

        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Contains(Ec2.ServerErrors, e => e.Message == "hook broke");
    }

    [Fact]
    public async Task Unsigned_requests_are_refused_with_AuthFailure()
    {
        using var http = new HttpClient();
        var response = await http.PostAsync(Ec2.ServiceUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "DescribeSnapshots",
            ["Version"] = "2016-11-15",
        }));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("<Response><Errors><Error><Code>AuthFailure</Code>", body, StringComparison.Ordinal);
        Assert.Contains("<RequestID>", body, StringComparison.Ordinal);
    }

}
