namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>Snapshots and policies for the retention tests, built the way EC2 would report them.</summary>
internal static class RetentionFixtures
{
    public const string Volume = "vol-0aaaaaaaaaaaaaaaa";
    public const string OtherVolume = "vol-0bbbbbbbbbbbbbbbb";

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly LegacyTags Legacy = new("mysql-replica", "shop", "production");

    public static RetentionPolicy Policy(
        TimeSpan? retention = null,
        int minKeep = 1,
        int maxDeletes = 10,
        bool adoptLegacy = true) =>
        new(Volume, retention ?? TimeSpan.FromDays(3), minKeep, maxDeletes, adoptLegacy, Legacy);

    public static Dictionary<string, string> OurTags(string volumeTag = Volume) => new(StringComparer.Ordinal)
    {
        [ToolTags.CreatedBy] = ToolTags.CreatedByValue,
        [ToolTags.Volume] = volumeTag,
        [ToolTags.Host] = "db-replica-1",
        [ToolTags.RunId] = "run-1",
        [ToolTags.Method] = ToolTags.MethodValue,
        [ToolTags.Name] = "db-replica-1 offline backup",
        [ToolTags.Role] = Legacy.Role,
        [ToolTags.Schema] = Legacy.Schema,
        [ToolTags.Environment] = Legacy.Environment,
    };

    public static Dictionary<string, string> LegacyTagSet() => new(StringComparer.Ordinal)
    {
        [ToolTags.Name] = "db-replica-1",
        [ToolTags.Role] = Legacy.Role,
        [ToolTags.Schema] = Legacy.Schema,
        [ToolTags.Environment] = Legacy.Environment,
    };

    /// <summary>"k=v,k2=v2"; an empty string is no tags at all.</summary>
    public static Dictionary<string, string> ParseTags(string spec) =>
        spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty, StringComparer.Ordinal);

    public static Snapshot Make(
        string id,
        TimeSpan age,
        IReadOnlyDictionary<string, string> tags,
        SnapshotState state = SnapshotState.Completed,
        string volume = Volume) =>
        new(id, volume, state, state == SnapshotState.Completed ? "100%" : "42%", Now - age, 100, "backup", tags);

    /// <summary>"5d", "2d3h", "1h30m", "3d1s", "-10m", "0s".</summary>
    public static TimeSpan Age(string text)
    {
        var negative = text.StartsWith('-');
        var total = TimeSpan.Zero;
        var number = 0L;
        foreach (var c in negative ? text[1..] : text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (c - '0');
                continue;
            }

            total += c switch
            {
                'd' => TimeSpan.FromDays(number),
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => throw new FormatException($"bad unit '{c}' in age '{text}'"),
            };
            number = 0;
        }

        return negative ? total.Negate() : total;
    }
}
