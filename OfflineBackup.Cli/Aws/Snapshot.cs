namespace OfflineBackup.Aws;

public enum SnapshotState
{
    Pending,
    Completed,
    Error,
    Other,
}

/// <summary>One EBS snapshot as this tool sees it; a plain copy of what DescribeSnapshots said.</summary>
public sealed record Snapshot(
    string Id,
    string VolumeId,
    SnapshotState State,
    string Progress,
    DateTimeOffset StartTime,
    int VolumeSizeGiB,
    string Description,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The Snapshot Lock on it, from DescribeLockedSnapshots; null when it has none (or it was not asked).</summary>
    public SnapshotLock? Lock { get; init; }

    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value : null;
}

/// <summary>What CreateSnapshot is asked for: every tag is given at creation, never afterwards.</summary>
public sealed record NewSnapshot(
    string VolumeId,
    string Description,
    IReadOnlyDictionary<string, string> Tags);

public enum ProbeOutcome
{
    /// <summary>EC2 answered DryRunOperation: the call would have been allowed.</summary>
    Allowed,

    /// <summary>EC2 answered UnauthorizedOperation.</summary>
    Denied,
}

public sealed record PermissionProbe(string Action, ProbeOutcome Outcome, string Detail);

public enum DeleteOutcome
{
    Deleted,
    AlreadyGone,
    InUse,
}

public sealed record DeleteResult(string SnapshotId, DeleteOutcome Outcome, string Detail);
