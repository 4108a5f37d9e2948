using OfflineBackup.Aws;

namespace OfflineBackup.Retention;

public enum RetentionAction
{
    Keep,
    Delete,
}

/// <summary>What the planner decided for one snapshot, and why, in words a DBA can act on.</summary>
public sealed record RetentionDecision(
    Snapshot Snapshot,
    RetentionAction Action,
    Ownership Ownership,
    RetentionReason ReasonCode,
    string Reason)
{
    public string SnapshotId => Snapshot.Id;

    public bool IsDelete => Action == RetentionAction.Delete;
}
