using System.Globalization;
using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Sandbox.Ec2Double;

namespace OfflineBackup.Bench;

/// <summary>Snapshots seeded into the EC2 double, tagged exactly as the tool tags its own (SnapshotRequests).</summary>
public static class Inventory
{
    private static readonly InstanceSettings Instance = new(
        "i-0123456789abcdef0", Scene.VolumeId, BenchConfig.GInstanceName, "/tmp/unused.lock", "sql", "shop", "pro",
        TimeSpan.FromSeconds(250_000));

    /// <summary><paramref name="count"/> completed snapshots of ours, the newest at <paramref name="newest"/>, each next one <paramref name="spacing"/> older.</summary>
    public static IEnumerable<SnapshotSeed> OursCompleted(int count, DateTimeOffset newest, TimeSpan spacing) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var start = newest - (spacing * i);
            return new SnapshotSeed(string.Create(CultureInfo.InvariantCulture, $"snap-{i + 1:x17}"), Scene.VolumeId, start)
            {
                State = "completed",
                Progress = "100%",
                Description = SnapshotRequests.For(Instance, $"seed-{i}", "db-bench", start).Description,
                Tags = SnapshotRequests.For(Instance, $"seed-{i}", "db-bench", start).Tags.ToDictionary(),
            };
        });
}
