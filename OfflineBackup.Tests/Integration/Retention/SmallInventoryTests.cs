namespace OfflineBackup.Tests.Integration.Retention;

/// <summary>
/// A real prune of the small inventory, seeded into a fresh EC2 double: its five expired
/// snapshots of ours are the candidates, shared by the tests that arm faults or locks on them.
/// </summary>
public abstract class SmallInventoryTests : IAsyncLifetime
{
    private protected readonly RetentionStepFixture _f = new();
    private protected readonly RetentionInventory _inventory = RetentionInventory.Small();
    private protected List<string> _candidates = [];

    public async Task InitializeAsync()
    {
        await _f.InitializeAsync();
        _inventory.SeedInto(_f.Ec2);
        _candidates = _inventory.ExpectedDeletions(maxDeletes: 10, adoptLegacy: false);
        Assert.Equal(5, _candidates.Count);
    }

    public Task DisposeAsync() => _f.DisposeAsync();
}
