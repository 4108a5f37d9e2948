namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>Snapshot Lock, as LockSnapshot would set it; the lock reads "expired" once <c>expiresOn</c> has passed.</summary>
public sealed partial class Ec2Double
{
    /// <summary>Locks a snapshot: <paramref name="state"/> is governance, compliance or compliance-cooloff.</summary>
    public void LockSnapshot(string snapshotId, string state, DateTimeOffset expiresOn) =>
        _inventory.Update(snapshotId, s => s.Lock = new Ec2SnapshotLock(state, expiresOn));

    public void UnlockSnapshot(string snapshotId) => _inventory.Update(snapshotId, s => s.Lock = null);
}
