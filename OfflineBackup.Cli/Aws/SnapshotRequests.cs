using System.Globalization;
using OfflineBackup.Configuration;

namespace OfflineBackup.Aws;

/// <summary>
/// The one place that decides what a snapshot of ours looks like: the original tool's tags (so
/// dashboards and legacy retention keep working) plus the ownership tags retention trusts.
/// Used by the snapshot step and by the DryRun permission probe, so the probe asks exactly what
/// the run will ask.
/// </summary>
public static class SnapshotRequests
{
    /// <param name="online">Online mode: the consistency tag's value and the replica position (tagged when it fits a tag); null for stop mode.</param>
    public static NewSnapshot For(InstanceSettings instance, string runId, string host, DateTimeOffset now, OnlineSnapshot? online = null)
    {
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var tags = new Dictionary<string, string>
        {
            [ToolTags.Name] = instance.GInstanceName + now.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture),
            [ToolTags.Role] = instance.TagRole,
            [ToolTags.Schema] = instance.TagSchema,
            [ToolTags.Environment] = instance.TagEnvironment,
            [ToolTags.CreatedBy] = ToolTags.CreatedByValue,
            [ToolTags.Volume] = instance.VolumeId,
            [ToolTags.Host] = host,
            [ToolTags.RunId] = runId,
            [ToolTags.Method] = online?.Consistency ?? ToolTags.MethodValue,
        };
        if (online?.Position is { Length: > 0 and <= MaxTagValue } position)
        {
            tags[ToolTags.ReplicaPosition] = position;
        }

        var how = online is null ? "MySQL stopped" : $"MySQL online ({online.Consistency})";
        var description = $"offline-backup of {instance.VolumeId} on {instance.InstanceId}, {how}, {stamp}, run {runId}";
        return new NewSnapshot(instance.VolumeId, description, tags);
    }

    /// <summary>EC2's limit on a tag value; a longer position lives only in the file in the data directory.</summary>
    public const int MaxTagValue = 256;

}

/// <summary>How an online snapshot was taken: <see cref="Consistency"/> is one of <see cref="ToolTags"/>' online values.</summary>
public sealed record OnlineSnapshot(string Consistency, string? Position);
