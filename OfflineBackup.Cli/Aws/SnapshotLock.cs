namespace OfflineBackup.Aws;

/// <summary>
/// A Snapshot Lock as DescribeLockedSnapshots reports it. While the lock is anything but
/// "expired", EC2 refuses DeleteSnapshot, so retention keeps the snapshot instead of trying.
/// </summary>
/// <param name="State">compliance, compliance-cooloff, governance or expired (EC2's lockState).</param>
/// <param name="ExpiresOn">When the lock ends (lockExpiresOn); null if EC2 did not say.</param>
public sealed record SnapshotLock(string State, DateTimeOffset? ExpiresOn)
{
    public const string Expired = "expired";

    public bool IsActive => !string.Equals(State, Expired, StringComparison.Ordinal);
}
