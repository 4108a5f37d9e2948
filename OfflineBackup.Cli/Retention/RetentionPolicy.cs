using OfflineBackup.Configuration;

namespace OfflineBackup.Retention;

/// <summary>
/// Everything the planner needs to know about the configuration, and nothing else. The config
/// loader already rejects bad values; <see cref="Validate"/> repeats the checks because a policy
/// that could delete everything must never reach the planner by any route (tests, `with`, later
/// callers), as restic's forget refuses an empty policy.
/// </summary>
public sealed record RetentionPolicy(
    string VolumeId,
    TimeSpan Retention,
    int MinKeep,
    int MaxDeletes,
    bool AdoptLegacy,
    LegacyTags LegacyTags)
{
    /// <summary>keep_daily/weekly/monthly and their time zone; off unless the config sets them.</summary>
    public CalendarRules Calendar { get; init; } = CalendarRules.Off;

    /// <summary>
    /// For copies in the copy region, whose volume id is arbitrary: ownership by the tags alone
    /// (our created-by and volume-id tags plus a source-snapshot-id tag), never by the volume id.
    /// </summary>
    public bool ByTagsOnly { get; init; }

    public static RetentionPolicy From(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var instance = settings.Instance;
        var policy = new RetentionPolicy(
            instance.VolumeId,
            instance.Retention,
            settings.Retention.MinKeep,
            settings.Retention.MaxDeletes,
            settings.Retention.AdoptLegacy,
            new LegacyTags(instance.TagRole, instance.TagSchema, instance.TagEnvironment))
        {
            Calendar = settings.Retention.Calendar,
        };
        policy.Validate();
        return policy;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the config key of the first bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(VolumeId))
        {
            throw new ArgumentException("retention policy: volume_id is empty; refusing to plan deletions");
        }

        if (Retention <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"retention policy: retention_seconds must be > 0 (got {Retention.TotalSeconds:0.###}); refusing to plan deletions");
        }

        if (MinKeep < 1)
        {
            throw new ArgumentException(
                $"retention policy: min_keep must be >= 1 (got {MinKeep}); refusing to plan deletions");
        }

        if (MaxDeletes < 1)
        {
            throw new ArgumentException(
                $"retention policy: max_deletes must be >= 1 (got {MaxDeletes}); refusing to plan deletions");
        }

        if (Calendar is null || Calendar.TimeZone is null)
        {
            throw new ArgumentException("retention policy: calendar rules are missing");
        }

        foreach (var (key, count) in new[] { ("keep_daily", Calendar.KeepDaily), ("keep_weekly", Calendar.KeepWeekly), ("keep_monthly", Calendar.KeepMonthly) })
        {
            if (count < 0)
            {
                throw new ArgumentException($"retention policy: {key} must be >= 0 (got {count}); refusing to plan deletions");
            }
        }

        if (LegacyTags is null)
        {
            throw new ArgumentException("retention policy: legacy tags are missing");
        }

        // Blank legacy values would adopt any snapshot carrying empty role/schema/Environment tags.
        if (AdoptLegacy && LegacyTags.AnyBlank)
        {
            throw new ArgumentException(
                "retention policy: adopt_legacy needs non-empty tag_role, tag_schema and tag_environment");
        }
    }
}
