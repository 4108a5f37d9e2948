using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Sandbox.Ec2Double;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>Snapshots for the double's inventory that look exactly as the tool's own (<see cref="SnapshotRequests"/>): completed, tagged and described as a run of this instance made them.</summary>
public static class OurSnapshots
{
    public static SnapshotSeed Seed(InstanceSettings instance, string snapshotId, DateTimeOffset startTime, string runId, string host = "db1")
    {
        var request = SnapshotRequests.For(instance, runId, host, startTime);
        return new SnapshotSeed(snapshotId, request.VolumeId, startTime)
        {
            State = "completed",
            Progress = "100%",
            Description = request.Description,
            Tags = request.Tags.ToDictionary(),
        };
    }
}
