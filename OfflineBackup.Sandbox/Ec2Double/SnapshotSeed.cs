namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// A snapshot put straight into the double's inventory, bypassing CreateSnapshot, so a test can
/// build a large or odd inventory (other owners, errors, legacy tags) in one call.
/// Unset fields take the double's defaults: owner = the double's account, completed, 100%.
/// </summary>
public sealed record SnapshotSeed(string SnapshotId, string VolumeId, DateTimeOffset StartTime)
{
    /// <summary>EC2 status: pending, completed, error, recoverable, recovering.</summary>
    public string State { get; init; } = "completed";

    public string? Progress { get; init; }

    public int VolumeSizeGiB { get; init; } = 100;

    public string Description { get; init; } = "";

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Null means the double's own account (what <c>self</c> resolves to).</summary>
    public string? OwnerId { get; init; }

    /// <summary>For a seeded pending snapshot; null means it stays pending until Complete or Fail.</summary>
    public SnapshotCompletion? Completion { get; init; }
}

/// <summary>What the double holds for one snapshot, as a test reads it back.</summary>
public sealed record Ec2SnapshotView(
    string SnapshotId,
    string VolumeId,
    string State,
    string Progress,
    DateTimeOffset StartTime,
    int VolumeSizeGiB,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    string OwnerId,
    string? StateMessage,
    string? InUseByImageId)
{
    /// <summary>The Snapshot Lock DescribeLockedSnapshots reports; null when unlocked.</summary>
    public Ec2SnapshotLock? Lock { get; init; }
}

/// <summary>A Snapshot Lock in the double: EC2's lockState and lockExpiresOn.</summary>
public sealed record Ec2SnapshotLock(string State, DateTimeOffset ExpiresOn);
