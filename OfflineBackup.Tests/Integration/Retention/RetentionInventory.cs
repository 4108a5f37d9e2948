using System.Globalization;

namespace OfflineBackup.Tests.Integration.Retention;

/// <summary>
/// An inventory for the EC2 double, with the answer worked out by construction rather than by
/// the planner: which snapshots are expired candidates (ours or legacy, completed, this account,
/// this volume), so a test can say exactly what a prune must delete, in which order.
/// Tags match <see cref="TestConfig"/> and <see cref="TestSettings"/> (role sql, schema shop, Environment pro).
/// </summary>
internal sealed class RetentionInventory
{
    public const string Volume = TestSettings.VolumeId;
    public const string OtherVolume = "vol-0fedcba9876543210";
    public const string OtherAccount = "999999999999";

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>TestSettings' and TestConfig's retention_seconds (about 2d 21h).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(250_000);

    private readonly List<(string Id, DateTimeOffset Start, bool Legacy)> _expired = [];

    public List<SnapshotSeed> Seeds { get; } = [];

    public IEnumerable<string> AllIds => Seeds.Select(s => s.SnapshotId);

    /// <summary>The own-account snapshots of the volume: what one sweep returns.</summary>
    public int SweepCount => Seeds.Count(s => s.VolumeId == Volume && s.OwnerId is null);

    /// <summary>
    /// More than 2,500 snapshots of the volume in this account (three DescribeSnapshots pages),
    /// plus other volumes and another account's: 120 of ours and 150 legacy expired.
    /// </summary>
    public static RetentionInventory Large()
    {
        var inventory = new RetentionInventory();
        inventory.Add(0x01, 1_900, i => TimeSpan.FromHours(1) + TimeSpan.FromMinutes(i), Kind.Ours);
        inventory.Add(0x02, 120, i => TimeSpan.FromDays(3) + TimeSpan.FromHours(i), Kind.Ours);
        inventory.Add(0x03, 150, i => TimeSpan.FromDays(4) + TimeSpan.FromMinutes(30 * i) + TimeSpan.FromSeconds(7), Kind.Legacy);
        inventory.Add(0x04, 50, i => TimeSpan.FromHours(2 + i), Kind.Legacy);
        inventory.Add(0x05, 100, i => TimeSpan.FromDays(10 + i), Kind.Untagged);
        inventory.Add(0x06, 100, i => TimeSpan.FromDays(10 + i), Kind.CreatedByOther);
        inventory.Add(0x07, 100, i => TimeSpan.FromDays(10 + i), Kind.VolumeTagOther);
        inventory.Add(0x08, 20, i => TimeSpan.FromDays(10 + i), Kind.Ours, state: "pending");
        inventory.Add(0x09, 20, i => TimeSpan.FromDays(10 + i), Kind.Ours, state: "error");
        inventory.Add(0x0a, 500, i => TimeSpan.FromDays(10 + i), Kind.OtherVolume);
        inventory.Add(0x0b, 100, i => TimeSpan.FromDays(10 + i), Kind.OtherAccount);
        return inventory;
    }

    /// <summary>A dozen snapshots, small enough to read in a test's output: 5 of ours and 2 legacy expired.</summary>
    public static RetentionInventory Small()
    {
        var inventory = new RetentionInventory();
        inventory.Add(0x11, 4, i => TimeSpan.FromHours(1 + (16 * i)), Kind.Ours);
        inventory.Add(0x12, 5, i => TimeSpan.FromDays(4 + i), Kind.Ours);
        inventory.Add(0x13, 2, i => TimeSpan.FromDays(10 + i), Kind.Legacy);
        inventory.Add(0x14, 1, _ => TimeSpan.FromDays(30), Kind.Untagged);
        inventory.Add(0x15, 1, _ => TimeSpan.FromDays(5), Kind.Ours, state: "pending");
        inventory.Add(0x16, 1, _ => TimeSpan.FromDays(6), Kind.Ours, state: "error");
        inventory.Add(0x17, 1, _ => TimeSpan.FromDays(20), Kind.OtherVolume);
        inventory.Add(0x18, 1, _ => TimeSpan.FromDays(20), Kind.OtherAccount);
        return inventory;
    }

    public static string Id(int group, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"snap-{group:x2}{index:x15}");

    /// <summary>What a prune must delete, oldest first: expired ours (and legacy when adopted), at most max_deletes.</summary>
    public List<string> ExpectedDeletions(int maxDeletes, bool adoptLegacy) => _expired
        .Where(e => adoptLegacy || !e.Legacy)
        .OrderBy(e => e.Start)
        .ThenBy(e => e.Id, StringComparer.Ordinal)
        .Take(maxDeletes)
        .Select(e => e.Id)
        .ToList();

    public void SeedInto(Ec2Double ec2) => ec2.Seed(Seeds);

    private void Add(int group, int count, Func<int, TimeSpan> age, Kind kind, string state = "completed")
    {
        for (var i = 0; i < count; i++)
        {
            var id = Id(group, i);
            var start = Now - age(i);
            var volume = kind == Kind.OtherVolume ? OtherVolume : Volume;
            Seeds.Add(new SnapshotSeed(id, volume, start)
            {
                State = state,
                Progress = state == "pending" ? "37%" : null,
                VolumeSizeGiB = 500,
                Description = $"{kind} {i}",
                Tags = TagsOf(kind, volume),
                OwnerId = kind == Kind.OtherAccount ? OtherAccount : null,
            });
            if (kind is Kind.Ours or Kind.Legacy && state == "completed" && age(i) > Retention)
            {
                _expired.Add((id, start, kind == Kind.Legacy));
            }
        }
    }

    private static Dictionary<string, string> TagsOf(Kind kind, string volume)
    {
        var legacy = new Dictionary<string, string>
        {
            [ToolTags.Name] = "pro-sql-test-20250101-0000",
            [ToolTags.Role] = "sql",
            [ToolTags.Schema] = "shop",
            [ToolTags.Environment] = "pro",
        };
        var ours = new Dictionary<string, string>(legacy)
        {
            [ToolTags.CreatedBy] = ToolTags.CreatedByValue,
            [ToolTags.Volume] = volume,
            [ToolTags.RunId] = "run-seeded",
        };
        return kind switch
        {
            Kind.Ours or Kind.OtherVolume or Kind.OtherAccount => ours,
            Kind.Legacy => legacy,
            Kind.CreatedByOther => new Dictionary<string, string>(ours) { [ToolTags.CreatedBy] = "aws-backup" },
            Kind.VolumeTagOther => new Dictionary<string, string>(ours) { [ToolTags.Volume] = OtherVolume },
            _ => [],
        };
    }

    private enum Kind
    {
        Ours,
        Legacy,
        Untagged,
        CreatedByOther,
        VolumeTagOther,
        OtherVolume,
        OtherAccount,
    }
}
