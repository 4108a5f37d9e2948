using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>What the generator meant a snapshot to be, so checks need not trust the planner's classifier.</summary>
internal enum Kind
{
    Ours,
    Legacy,
    Untagged,
    OtherVolumeSnapshot,
    OtherVolumeTag,
    CreatedByOtherTool,
    AwsBackup,
    LegacyOtherEnvironment,
    LegacyWithOtherCreatedBy,
    ManualName,
    LegacyWithOtherVolumeTag,
    CreatedByWithoutVolumeTag,
}

internal sealed record RandomInventory(
    int Seed,
    RetentionPolicy Policy,
    DateTimeOffset Now,
    IReadOnlyList<Snapshot> Snapshots,
    IReadOnlyDictionary<string, Kind> Kinds,
    IReadOnlySet<string> Protected)
{
    /// <summary>Same seed, same inventory: a failure message's seed replays it exactly.</summary>
    public static RandomInventory Generate(int seed)
    {
        var rng = new Random(seed);
        var now = RetentionFixtures.Now + TimeSpan.FromMinutes(rng.Next(0, 100_000));
        var retention = TimeSpan.FromSeconds(rng.Next(60, 10 * 24 * 3600));
        var policy = RetentionFixtures.Policy(retention, minKeep: rng.Next(1, 6), maxDeletes: rng.Next(1, 12), adoptLegacy: rng.Next(2) == 0)
            with { Calendar = RandomCalendar(rng) };

        // Calendar rules need inventories spanning weeks and months to have anything to decide.
        var span = policy.Calendar.Any && rng.Next(2) == 0 ? TimeSpan.FromDays(rng.Next(10, 200)) : retention * 3;

        // A few shared start times so ties (broken by Id) happen often, not by luck.
        var shared = Enumerable.Range(0, 3).Select(_ => now - RandomAge(rng, span)).ToArray();
        var count = rng.Next(0, 41);
        var snapshots = new List<Snapshot>(count);
        var kinds = new Dictionary<string, Kind>(StringComparer.Ordinal);
        var protectedIds = new HashSet<string>(StringComparer.Ordinal);
        while (snapshots.Count < count)
        {
            var id = $"snap-{rng.Next(0, 4096):x3}";
            if (kinds.ContainsKey(id))
            {
                continue;
            }

            var kind = PickKind(rng);
            var start = rng.Next(10) switch
            {
                0 => now + TimeSpan.FromTicks(rng.NextInt64(1, TimeSpan.TicksPerDay * 2)),
                1 or 2 => shared[rng.Next(shared.Length)],
                3 => now - retention,
                _ => now - RandomAge(rng, span),
            };
            kinds[id] = kind;
            var (snapshot, isProtected) = Protect(rng, Build(id, kind, PickState(rng), start), now);
            snapshots.Add(snapshot);
            if (isProtected)
            {
                protectedIds.Add(id);
            }
        }

        return new RandomInventory(seed, policy, now, snapshots, kinds, protectedIds);
    }

    public Ownership ExpectedOwnership(string id) => Kinds[id] switch
    {
        Kind.Ours => Ownership.Ours,
        Kind.Legacy => Policy.AdoptLegacy ? Ownership.Legacy : Ownership.Foreign,
        _ => Ownership.Foreign,
    };

    /// <summary>
    /// Now and then a Snapshot Lock or an in-use mark, live or not; the flag says, from the
    /// generator's intent, whether EC2 would refuse the delete (so the planner must keep it).
    /// </summary>
    private static (Snapshot Snapshot, bool Protected) Protect(Random rng, Snapshot snapshot, DateTimeOffset now)
    {
        var days = TimeSpan.FromDays(rng.Next(1, 30));
        return rng.Next(40) switch
        {
            0 or 1 => (snapshot with { Lock = new SnapshotLock("compliance", now + days) }, true),
            2 => (snapshot with { Lock = new SnapshotLock("governance", now + days) }, true),
            3 => (snapshot with { Lock = new SnapshotLock("compliance-cooloff", now + days) }, true),
            4 => (snapshot with { Lock = new SnapshotLock(SnapshotLock.Expired, now - days) }, false),
            5 or 6 => (Marked(snapshot, $"ami-0abc at {Iso(now - TimeSpan.FromMinutes(rng.Next(0, 7 * 24 * 60)))}"), true),
            7 => (Marked(snapshot, $"an AMI at {Iso(now - TimeSpan.FromMinutes(rng.Next(7 * 24 * 60, 30 * 24 * 60)))}"), false),
            8 => (Marked(snapshot, "ami-0abc since forever"), false),
            _ => (snapshot, false),
        };
    }

    private static Snapshot Marked(Snapshot snapshot, string mark) =>
        snapshot with { Tags = new Dictionary<string, string>(snapshot.Tags, StringComparer.Ordinal) { [ToolTags.InUse] = mark } };

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan RandomAge(Random rng, TimeSpan span) =>
        TimeSpan.FromTicks(rng.NextInt64(0, span.Ticks));

    // Zones without a midnight DST change, so a day's wall-clock times never run backwards.
    private static readonly string[] Zones = ["UTC", "Europe/Paris", "Pacific/Auckland", "America/New_York", "Asia/Kolkata"];

    /// <summary>Off a third of the time (today's configs); otherwise each rule 0 to 6, in a random zone.</summary>
    private static CalendarRules RandomCalendar(Random rng) => rng.Next(3) == 0
        ? CalendarRules.Off
        : new CalendarRules(rng.Next(0, 7), rng.Next(0, 7), rng.Next(0, 7), TimeZoneInfo.FindSystemTimeZoneById(Zones[rng.Next(Zones.Length)]));

    private static Kind PickKind(Random rng) => rng.Next(22) switch
    {
        < 8 => Kind.Ours,
        < 12 => Kind.Legacy,
        var other => (Kind)(2 + (other % 10)),
    };

    private static SnapshotState PickState(Random rng) => rng.Next(20) switch
    {
        < 15 => SnapshotState.Completed,
        < 17 => SnapshotState.Pending,
        < 19 => SnapshotState.Error,
        _ => SnapshotState.Other,
    };

    private static Snapshot Build(string id, Kind kind, SnapshotState state, DateTimeOffset start)
    {
        var (volume, tags) = kind switch
        {
            Kind.Ours => (Volume, OurTags()),
            Kind.Legacy => (Volume, LegacyTagSet()),
            Kind.Untagged => (Volume, new Dictionary<string, string>()),
            Kind.OtherVolumeSnapshot => (OtherVolume, OurTags(OtherVolume)),
            Kind.OtherVolumeTag => (Volume, OurTags(OtherVolume)),
            Kind.CreatedByOtherTool => (Volume, With(OurTags(), ToolTags.CreatedBy, "other-tool")),
            Kind.AwsBackup => (Volume, ParseTags("aws:backup:source-resource=arn:aws:ec2:eu-west-1:1:volume/x")),
            Kind.LegacyOtherEnvironment => (Volume, With(LegacyTagSet(), ToolTags.Environment, "staging")),
            Kind.LegacyWithOtherCreatedBy => (Volume, With(LegacyTagSet(), ToolTags.CreatedBy, "other-tool")),
            Kind.ManualName => (Volume, ParseTags("Name=before-upgrade")),
            Kind.LegacyWithOtherVolumeTag => (Volume, With(LegacyTagSet(), ToolTags.Volume, OtherVolume)),
            Kind.CreatedByWithoutVolumeTag => (Volume, Without(OurTags(), ToolTags.Volume)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind"),
        };
        return new Snapshot(id, volume, state, "100%", start, 100, "generated", tags);
    }

    private static Dictionary<string, string> Without(Dictionary<string, string> tags, string key)
    {
        tags.Remove(key);
        return tags;
    }

    private static Dictionary<string, string> With(Dictionary<string, string> tags, string key, string value)
    {
        tags[key] = value;
        return tags;
    }
}
