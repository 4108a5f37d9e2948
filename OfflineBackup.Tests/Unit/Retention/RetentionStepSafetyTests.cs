using Microsoft.Extensions.Time.Testing;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>The retention step's refusals that EC2 cannot provoke: a doubtful inventory, a plan that would delete what is not ours.</summary>
public sealed class RetentionStepSafetyTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeSnapshotStore _store = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_inventory_listing_one_snapshot_twice_deletes_nothing_and_exits_10()
    {
        var old = Snapshot("snap-0000000000000000a", TimeSpan.FromDays(30), Ours());
        _store.Snapshots.AddRange([old, old, .. Young(3)]);

        var result = await Step().RunAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.RetentionIncomplete, result.ExitCode);
        Assert.Null(result.Plan);
        Assert.Contains("appears twice", Assert.Single(result.Problems), StringComparison.Ordinal);
        Assert.Empty(_store.Deleted);
    }

    [Theory]
    [InlineData(Ownership.Foreign, SnapshotState.Completed)]
    [InlineData(Ownership.Ours, SnapshotState.Pending)]
    [InlineData(Ownership.Legacy, SnapshotState.Error)]
    public async Task A_plan_built_by_another_route_cannot_make_it_delete_what_it_must_not(Ownership ownership, SnapshotState state)
    {
        var snapshot = Snapshot("snap-0000000000000000b", TimeSpan.FromDays(30), [], state);
        var policy = RetentionPolicy.From(TestSettings.Create(_directory.Path));
        var forged = new RetentionDecision(snapshot, RetentionAction.Delete, ownership, RetentionReason.Expired, "forged");
        var plan = new RetentionPlan(policy, Now, [forged]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Step().ExecuteAsync(plan, CancellationToken.None));

        Assert.Contains("refusing", error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Deleted);
    }

    private RetentionStep Step() => new(_store, RetentionPolicy.From(TestSettings.Create(_directory.Path)), new FakeTimeProvider(Now), [TimeSpan.FromMilliseconds(1)]);

    private static Snapshot Snapshot(string id, TimeSpan age, Dictionary<string, string> tags, SnapshotState state = SnapshotState.Completed) =>
        new(id, TestSettings.VolumeId, state, "100%", Now - age, 100, "", tags);

    private static IEnumerable<Snapshot> Young(int count) => Enumerable.Range(1, count)
        .Select(i => Snapshot($"snap-1000000000000000{i}", TimeSpan.FromHours(i), Ours()));

    private static Dictionary<string, string> Ours() => new()
    {
        [ToolTags.CreatedBy] = ToolTags.CreatedByValue,
        [ToolTags.Volume] = TestSettings.VolumeId,
    };
}
