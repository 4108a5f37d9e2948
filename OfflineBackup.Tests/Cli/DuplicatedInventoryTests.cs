using Microsoft.Extensions.Time.Testing;

namespace OfflineBackup.Tests.Cli;

/// <summary>
/// An inventory that lists a snapshot twice (EC2's paging changed under the sweep) cannot be
/// planned on: the same failure, the same exit 10 and the same message in every command that
/// plans, and nothing deleted.
/// </summary>
public sealed class DuplicatedInventoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeSnapshotStore _store = new();
    private readonly CliHarness _cli;

    public DuplicatedInventoryTests()
    {
        var old = new Snapshot(
            "snap-0000000000000000a", TestSettings.VolumeId, SnapshotState.Completed, "100%", Now.AddDays(-30), 100, "ours",
            SnapshotRequests.For(TestSettings.Create("/tmp").Instance, "run-old", "db1", Now.AddDays(-30)).Tags);
        _store.Snapshots.AddRange([old, old]);
        _cli = new CliHarness(new TestAdapters { Replica = new FakeReplicaServer(), Store = _store, Service = new FakeMySqlService() }, new FakeTimeProvider(Now));
    }

    public Task InitializeAsync() => _cli.WriteConfigAsync(9, "not-used", new Uri("http://127.0.0.1:9/"));

    public Task DisposeAsync()
    {
        _cli.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("prune")]
    [InlineData("prune", "--dry-run")]
    [InlineData("list")]
    [InlineData("list", "--json")]
    [InlineData("run", "--dry-run")]
    public async Task Every_command_that_plans_exits_10_naming_the_snapshot_and_deletes_nothing(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.RetentionIncomplete, result.ToString());
        Assert.Contains("snapshot snap-0000000000000000a appears twice in the inventory", result.Error, StringComparison.Ordinal);
        Assert.Empty(_store.Deleted);
        Assert.Empty(_store.Created);
    }
}
