using System.Globalization;
using OfflineBackup.Configuration;
using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench;

/// <summary>Snapshots seeded into the EC2 double, tagged exactly as the tool tags its own (SnapshotRequests).</summary>
public static class Inventory
{
    private static readonly InstanceSettings Instance = new(
        ToolConfig.DefaultInstanceId, Scene.VolumeId, Scene.GInstanceName, "/tmp/unused.lock", "sql", "shop", "pro",
        TimeSpan.FromSeconds(250_000));

    /// <summary><paramref name="count"/> completed snapshots of ours, the newest at <paramref name="newest"/>, each next one <paramref name="spacing"/> older.</summary>
    public static IEnumerable<SnapshotSeed> OursCompleted(int count, DateTimeOffset newest, TimeSpan spacing) =>
        Enumerable.Range(0, count).Select(i => OurSnapshots.Seed(
            Instance, string.Create(CultureInfo.InvariantCulture, $"snap-{i + 1:x17}"), newest - (spacing * i), $"seed-{i}", "db-bench"));
}
