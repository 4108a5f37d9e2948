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
    public static NewSnapshot For(InstanceSettings instance, string runId, string host, DateTimeOffset now)
    {
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var tags = new Dictionary<string, string>
        {
            [OwnershipTags.Name] = instance.GInstanceName + now.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture),
            [OwnershipTags.Role] = instance.TagRole,
            [OwnershipTags.Schema] = instance.TagSchema,
            [OwnershipTags.Environment] = instance.TagEnvironment,
            [OwnershipTags.CreatedBy] = OwnershipTags.CreatedByValue,
            [OwnershipTags.Volume] = instance.VolumeId,
            [OwnershipTags.Host] = host,
            [OwnershipTags.RunId] = runId,
            [OwnershipTags.Method] = OwnershipTags.MethodValue,
        };
        var description = $"offline-backup of {instance.VolumeId} on {instance.InstanceId}, MySQL stopped, {stamp}, run {runId}";
        return new NewSnapshot(instance.VolumeId, description, tags);
    }

}
