namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>The destination side of CopySnapshot.</summary>
internal sealed partial class SnapshotInventory
{
    /// <summary>
    /// AWS: "Snapshots created by copying another snapshot have an arbitrary volume ID that should
    /// not be used for any purpose." The double uses the same one for every copy.
    /// </summary>
    public const string CopyVolumeId = "vol-ffffffff";

    public Ec2SnapshotView CreateCopy(
        Ec2SnapshotView source, string description, IReadOnlyDictionary<string, string> tags, SnapshotCompletion completion)
    {
        lock (_gate)
        {
            var stored = new StoredSnapshot(
                NewSnapshotId(), CopyVolumeId, time.GetUtcNow(), source.VolumeSizeGiB, description, tags, AccountId)
            {
                Completion = completion is SnapshotCompletion.ManualCompletion ? null : completion,
            };
            _snapshots.Add(stored.SnapshotId, stored);
            return stored.ToView();
        }
    }
}
