using System.Globalization;
using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.Testing;
using Ec2Api = OfflineBackup.Sandbox.Ec2Double.Ec2Double;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// The snapshots a site already has when it switches to this tool: yesterday's from the original
/// script (its tags only, so not ours), three of ours from earlier days, and one taken by hand.
/// The run finds the backup due (the newest is about 25 hours old), and its retention may delete
/// only our expired ones.
/// </summary>
internal static class SandboxHistory
{
    public const string LegacyId = "snap-00000000000000001";
    public const string ByHandId = "snap-00000000000000002";

    /// <summary>Snapshots that are not ours: they must all still be there after the run.</summary>
    public static IReadOnlyList<string> NotOurs { get; } = [LegacyId, ByHandId];

    public static void Seed(Ec2Api ec2, InstanceSettings instance, DateTimeOffset now)
    {
        var legacyTime = now.AddHours(-25);
        var seeds = new List<SnapshotSeed>
        {
            new(LegacyId, SandboxSite.VolumeId, legacyTime)
            {
                Description = "snapshot by the original script",
                Tags = new Dictionary<string, string>
                {
                    [ToolTags.Name] = instance.GInstanceName + legacyTime.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture),
                    [ToolTags.Role] = instance.TagRole,
                    [ToolTags.Schema] = instance.TagSchema,
                    [ToolTags.Environment] = instance.TagEnvironment,
                },
            },
            new(ByHandId, SandboxSite.VolumeId, now.AddDays(-6))
            {
                Description = "taken by hand before an upgrade",
                Tags = new Dictionary<string, string> { [ToolTags.Name] = "before the 10.11 upgrade" },
            },
        };
        for (var days = 3; days <= 5; days++)
        {
            seeds.Add(OurSnapshots.Seed(instance, $"snap-0000000000000000{days}", now.AddDays(-days), $"sandbox-earlier-{days}", "sandbox"));
        }

        ec2.Seed(seeds);
    }
}
