namespace OfflineBackup.Aws;

/// <summary>One EBS volume as restore and drill see it: a plain copy of what DescribeVolumes said.</summary>
public sealed record EbsVolume(
    string Id,
    string State,
    string AvailabilityZone,
    string? SnapshotId,
    IReadOnlyDictionary<string, string> Tags,
    VolumeAttachment? Attachment)
{
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value : null;

    /// <summary>Made by this tool: the only volumes it ever detaches or deletes on its own.</summary>
    public bool IsOurs => Tag(OwnershipTags.CreatedBy) == OwnershipTags.CreatedByValue;
}

/// <summary>Where a volume is attached; State is attaching, attached, detaching.</summary>
public sealed record VolumeAttachment(string InstanceId, string Device, string State);

/// <summary>What CreateVolume is asked for; every tag is given at creation.</summary>
public sealed record NewVolume(
    string SnapshotId,
    string AvailabilityZone,
    string? VolumeType,
    int? Iops,
    int? Throughput,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>The tags of a volume made by restore or drill, and those a drill leaves on its snapshot.</summary>
public static class VolumeTags
{
    public const string SourceSnapshot = "offline-backup:source-snapshot";
    public const string Purpose = "offline-backup:purpose";
    public const string LastDrill = "offline-backup:last-drill";
    public const string LastDrillResult = "offline-backup:last-drill-result";
    public const string LastPassedDrill = "offline-backup:last-passed-drill";

    /// <summary>A position recorded at snapshot time by online mode: "file:position" or a GTID set.</summary>
    public const string ReplicaPosition = "offline-backup:replica-position";

    public static Dictionary<string, string> For(string snapshotId, string runId, string purpose, string host) => new(StringComparer.Ordinal)
    {
        [OwnershipTags.CreatedBy] = OwnershipTags.CreatedByValue,
        [SourceSnapshot] = snapshotId,
        [OwnershipTags.RunId] = runId,
        [OwnershipTags.Host] = host,
        [Purpose] = purpose,
        [OwnershipTags.Name] = $"offline-backup {purpose} of {snapshotId}",
    };
}
