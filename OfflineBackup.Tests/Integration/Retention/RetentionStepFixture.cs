namespace OfflineBackup.Tests.Integration.Retention;

/// <summary>
/// The EC2 double, the real SDK client and store, and a retention step over them with
/// millisecond backoff; one per test.
/// </summary>
internal sealed class RetentionStepFixture : IAsyncLifetime
{
    private readonly Ec2Harness _harness = new();
    private readonly TempDirectory _directory = new();

    public Ec2Double Ec2 => _harness.Ec2;

    public HookedSnapshotStore Store { get; private set; } = null!;

    public SelfAdvancingTimeProvider Clock { get; } = new(RetentionInventory.Now);

    public RetentionStep Step(Settings settings) =>
        new(Store, RetentionPolicy.From(settings), Clock, [TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5)]);

    /// <summary>One whole retention pass under <see cref="Settings"/> (its defaults, or this max_deletes).</summary>
    public Task<RetentionResult> RunAsync(int maxDeletes = 10) => Step(Settings(maxDeletes)).RunAsync(CancellationToken.None);

    /// <summary>
    /// From the first deletion of <paramref name="snapshotId"/> on, the next <paramref name="calls"/> DeleteSnapshot calls
    /// (that one and its retries) answer <paramref name="fault"/>; the probe and the deletions before it are untouched.
    /// </summary>
    public void FailFirstDeletionOf(string snapshotId, int calls, Ec2Fault fault) =>
        Store.BeforeFirstDeleteOf(snapshotId, () => Ec2.Faults.FailNext("DeleteSnapshot", calls, fault));

    public async Task InitializeAsync()
    {
        await _harness.InitializeAsync();
        Store = new HookedSnapshotStore(_harness.Store);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        _directory.Dispose();
    }

    public Settings Settings(int maxDeletes = 10, bool adoptLegacy = false, int minKeep = 3) =>
        TestSettings.Create(_directory.Path) with { Retention = new RetentionSettings(minKeep, maxDeletes, adoptLegacy) };

    /// <summary>The snapshot ids of every non-dry-run DeleteSnapshot the double answered, in arrival order.</summary>
    public List<string> RealDeleteCalls() => Ec2.Calls.Of("DeleteSnapshot")
        .Where(c => !c.DryRun)
        .Select(c => c.Request.Parameter("SnapshotId")!)
        .ToList();

    public List<string> Remaining() => Ec2.Snapshots().Select(s => s.SnapshotId).Order(StringComparer.Ordinal).ToList();

    public static List<string> Without(IEnumerable<string> all, IEnumerable<string> removed) =>
        all.Except(removed, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
