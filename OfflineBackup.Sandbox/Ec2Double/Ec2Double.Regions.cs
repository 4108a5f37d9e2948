using System.Collections.Concurrent;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// A second (third...) region: requests the SDK signs for it see its own snapshots. Every other
/// region, the configured one included, is the double's main inventory, so tests that never add
/// a region see the double as before. CopySnapshot copies between them.
/// </summary>
public sealed partial class Ec2Double
{
    private readonly ConcurrentDictionary<string, SnapshotInventory> _regions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _kmsKeys = new(StringComparer.Ordinal);
    private volatile SnapshotCompletion _copyCompletion = SnapshotCompletion.Manual;

    /// <summary>How copies made by CopySnapshot complete; by default they stay pending until CompleteIn.</summary>
    public SnapshotCompletion CopyCompletion
    {
        get => _copyCompletion;
        set => _copyCompletion = value;
    }

    /// <summary>The main region's name, as CopySnapshot's SourceRegion must say to find its snapshots there.</summary>
    public string MainRegion { get; set; } = "us-east-1";

    public void AddRegion(string region) =>
        _regions.TryAdd(region, new SnapshotInventory(AccountId, _time));

    /// <summary>A KMS key CopySnapshot accepts as KmsKeyId (any region); any other key id is refused.</summary>
    public void AddKmsKey(string keyId) => _kmsKeys[keyId] = true;

    public IReadOnlyList<Ec2SnapshotView> SnapshotsIn(string region) => Region(region).All();

    public Ec2SnapshotView? SnapshotIn(string region, string snapshotId) => Region(region).Get(snapshotId);

    public void SeedIn(string region, params IEnumerable<SnapshotSeed> seeds) => Region(region).Seed(seeds);

    public void CompleteIn(string region, string snapshotId) => Region(region).Update(snapshotId, s => s.MarkCompleted());

    public void FailIn(string region, string snapshotId, string message = "Copy failed") =>
        Region(region).Update(snapshotId, s => s.MarkFailed(message));

    internal bool KnowsKmsKey(string keyId) => _kmsKeys.ContainsKey(keyId);

    /// <summary>The added region's inventory, or null for the main one.</summary>
    internal SnapshotInventory? InventoryFor(string? region) =>
        region is not null && _regions.TryGetValue(region, out var inventory) ? inventory : null;

    /// <summary>Where CopySnapshot's SourceRegion points: an added region, else the main one if the name matches.</summary>
    internal SnapshotInventory? SourceInventory(string region) =>
        InventoryFor(region) ?? (string.Equals(region, MainRegion, StringComparison.Ordinal) ? _inventory : null);

    private SnapshotInventory Region(string region) =>
        InventoryFor(region) ?? throw new InvalidOperationException($"region {region} was not added to the double");
}
