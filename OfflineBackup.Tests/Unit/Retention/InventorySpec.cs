using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>
/// A tiny language for table tests, so each row reads like an inventory listing:
/// "a ours completed 5d; b legacy pending 1h" and policies like "retention=3d min_keep=2"
/// (calendar rules: "daily=7 weekly=4 monthly=12 tz=Europe/Paris").
/// Plans read back as "a=Delete/Expired b=Keep/Pending", in plan order (oldest first).
/// </summary>
internal static class InventorySpec
{
    public static IReadOnlyList<Snapshot> Parse(string inventory) =>
        inventory.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseOne)
            .ToList();

    public static RetentionPolicy ParsePolicy(string spec)
    {
        var policy = Policy();
        foreach (var setting in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (setting.Split('=')[0], setting.Split('=')[1]);
            policy = key switch
            {
                "retention" => policy with { Retention = Age(value) },
                "min_keep" => policy with { MinKeep = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                "max_deletes" => policy with { MaxDeletes = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                "adopt" => policy with { AdoptLegacy = value == "yes" },
                "daily" => policy with { Calendar = policy.Calendar with { KeepDaily = Count(value) } },
                "weekly" => policy with { Calendar = policy.Calendar with { KeepWeekly = Count(value) } },
                "monthly" => policy with { Calendar = policy.Calendar with { KeepMonthly = Count(value) } },
                "tz" => policy with { Calendar = policy.Calendar with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(value) } },
                _ => throw new FormatException($"unknown policy key '{key}'"),
            };
        }

        return policy;
    }

    private static int Count(string value) => int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    public static string Describe(RetentionPlan plan) =>
        string.Join(' ', plan.Decisions.Select(d => $"{d.SnapshotId}={d.Action}/{d.ReasonCode}"));

    private static Snapshot ParseOne(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (4 or 5))
        {
            throw new FormatException($"want 'id kind state age [protection]', got '{line}'");
        }

        var snapshot = ParseSnapshot(fields);
        return fields.Length == 4 ? snapshot : Protect(snapshot, fields[4]);
    }

    /// <summary>
    /// locked (compliance, ends in 10d), lock-expired, inuse (marked 1d ago), inuse-stale (8d ago),
    /// inuse-garbage (a mark that does not read), inuse-future (marked 30d ahead: clock skew).
    /// </summary>
    private static Snapshot Protect(Snapshot snapshot, string protection) => protection switch
    {
        "locked" => snapshot with { Lock = new SnapshotLock("compliance", Now + TimeSpan.FromDays(10)) },
        "governance" => snapshot with { Lock = new SnapshotLock("governance", Now + TimeSpan.FromDays(10)) },
        "lock-expired" => snapshot with { Lock = new SnapshotLock(SnapshotLock.Expired, Now - TimeSpan.FromDays(1)) },
        "inuse" => Marked(snapshot, InUseMark.Format("ami-0123abcd", Now - TimeSpan.FromDays(1))),
        "inuse-stale" => Marked(snapshot, InUseMark.Format("ami-0123abcd", Now - TimeSpan.FromDays(8))),
        "inuse-garbage" => Marked(snapshot, "keep me forever"),
        "inuse-future" => Marked(snapshot, InUseMark.Format("ami-0123abcd", Now + TimeSpan.FromDays(30))),
        _ => throw new FormatException($"unknown protection '{protection}'"),
    };

    private static Snapshot Marked(Snapshot snapshot, string mark) =>
        snapshot with { Tags = new Dictionary<string, string>(snapshot.Tags, StringComparer.Ordinal) { [ToolTags.InUse] = mark } };

    private static Snapshot ParseSnapshot(string[] fields)
    {
        var (id, kind, state, age) = (fields[0], fields[1], fields[2], Age(fields[3]));
        var snapshotState = state switch
        {
            "completed" => SnapshotState.Completed,
            "pending" => SnapshotState.Pending,
            "error" => SnapshotState.Error,
            "other" => SnapshotState.Other,
            _ => throw new FormatException($"unknown state '{state}'"),
        };

        return kind switch
        {
            "ours" => Make(id, age, OurTags(), snapshotState),
            "legacy" => Make(id, age, LegacyTagSet(), snapshotState),
            "untagged" => Make(id, age, new Dictionary<string, string>(), snapshotState),
            "othervol" => Make(id, age, OurTags(OtherVolume), snapshotState, OtherVolume),
            "othertag" => Make(id, age, OurTags(OtherVolume), snapshotState),
            "awsbackup" => Make(id, age, ParseTags("aws:backup:source-resource=arn:aws:ec2:eu-west-1:1:volume/x"), snapshotState),
            "dlm" => Make(id, age, ParseTags("aws:dlm:lifecycle-policy-id=policy-1"), snapshotState),
            _ => throw new FormatException($"unknown kind '{kind}'"),
        };
    }
}
