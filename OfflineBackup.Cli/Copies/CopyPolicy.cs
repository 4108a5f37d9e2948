using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Retention;

namespace OfflineBackup.Copies;

/// <summary>The copies' retention policy and the CopySnapshot request for one snapshot: pure.</summary>
public static class CopyPolicy
{
    /// <summary>copy:'s own rules, ownership by tags alone (a copy's volume id is arbitrary), no legacy adoption.</summary>
    public static RetentionPolicy For(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var copy = settings.Copy ?? throw new InvalidOperationException("no copy: section");
        var instance = settings.Instance;
        var policy = new RetentionPolicy(
            instance.VolumeId, copy.Retention, copy.MinKeep, copy.MaxDeletes, AdoptLegacy: false,
            new LegacyTags(instance.TagRole, instance.TagSchema, instance.TagEnvironment))
        {
            Calendar = copy.Calendar,
            ByTagsOnly = true,
        };
        policy.Validate();
        return policy;
    }

    /// <summary>The source's own tags (ownership, run id, Name...) plus where it came from.</summary>
    public static SnapshotCopyRequest Request(Snapshot source, string sourceRegion, CopySettings copy)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(copy);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in source.Tags.Where(t => !t.Key.StartsWith("aws:", StringComparison.Ordinal) && t.Key != ToolTags.InUse))
        {
            tags[key] = value;
        }

        tags[ToolTags.SourceSnapshot] = source.Id;
        tags[ToolTags.SourceRegion] = sourceRegion;
        return new SnapshotCopyRequest(sourceRegion, source.Id, $"offline-backup copy of {source.Id} ({sourceRegion})", copy.KmsKeyId, tags);
    }
}
