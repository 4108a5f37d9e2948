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
    public bool IsOurs => Tag(ToolTags.CreatedBy) == ToolTags.CreatedByValue;
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

/// <summary>The tags of a volume made by restore or drill: ours, whence and what for.</summary>
public static class VolumeTags
{
    public static Dictionary<string, string> For(string snapshotId, string runId, string purpose, string host) => new(StringComparer.Ordinal)
    {
        [ToolTags.CreatedBy] = ToolTags.CreatedByValue,
        [ToolTags.VolumeSourceSnapshot] = snapshotId,
        [ToolTags.RunId] = runId,
        [ToolTags.Host] = host,
        [ToolTags.Purpose] = purpose,
        [ToolTags.Name] = $"offline-backup {purpose} of {snapshotId}",
    };
}
