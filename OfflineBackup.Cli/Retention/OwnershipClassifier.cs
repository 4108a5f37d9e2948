using OfflineBackup.Aws;

namespace OfflineBackup.Retention;

/// <summary>
/// Decides whose snapshot this is from its volume and tags alone. Every doubt resolves to
/// Foreign: a false Foreign costs some storage, a false Ours deletes someone else's backup.
/// Tag values are never echoed into reasons: they are free text written by whoever tagged.
/// </summary>
internal static class OwnershipClassifier
{
    internal readonly record struct Verdict(Ownership Ownership, RetentionReason? ForeignReason, string? ForeignText);

    public static Verdict Classify(Snapshot snapshot, RetentionPolicy policy)
    {
        if (policy.ByTagsOnly)
        {
            if (snapshot.Tag(ToolTags.SourceSnapshot) is null)
            {
                return Foreign(RetentionReason.NotOurs, ReasonText.NotACopy);
            }
        }
        else if (!string.Equals(snapshot.VolumeId, policy.VolumeId, StringComparison.Ordinal))
        {
            return Foreign(RetentionReason.OtherVolume, ReasonText.OtherVolume(snapshot.VolumeId));
        }

        var createdBy = snapshot.Tag(ToolTags.CreatedBy);
        var volumeTag = snapshot.Tag(ToolTags.Volume);
        var volumeTagMismatch = volumeTag is not null && !string.Equals(volumeTag, policy.VolumeId, StringComparison.Ordinal);

        if (createdBy is not null)
        {
            if (!string.Equals(createdBy, ToolTags.CreatedByValue, StringComparison.Ordinal))
            {
                return Foreign(RetentionReason.NotOurs, ReasonText.CreatedByOther);
            }

            if (volumeTag is null)
            {
                return Foreign(RetentionReason.NotOurs, ReasonText.VolumeTagMissing);
            }

            return volumeTagMismatch
                ? Foreign(RetentionReason.NotOurs, ReasonText.VolumeTagOther(policy.VolumeId))
                : new Verdict(Ownership.Ours, null, null);
        }

        if (policy.ByTagsOnly || !CarriesLegacyTags(snapshot, policy.LegacyTags))
        {
            return Foreign(RetentionReason.NotOurs, ReasonText.NoOwnershipTag);
        }

        // A volume-id tag naming another volume contradicts the snapshot: do not adopt it.
        if (volumeTagMismatch)
        {
            return Foreign(RetentionReason.NotOurs, ReasonText.VolumeTagOther(policy.VolumeId));
        }

        return policy.AdoptLegacy
            ? new Verdict(Ownership.Legacy, null, null)
            : Foreign(RetentionReason.LegacyNotAdopted, ReasonText.LegacyNotAdopted);
    }

    private static bool CarriesLegacyTags(Snapshot snapshot, LegacyTags legacy) =>
        string.Equals(snapshot.Tag(ToolTags.Role), legacy.Role, StringComparison.Ordinal)
        && string.Equals(snapshot.Tag(ToolTags.Schema), legacy.Schema, StringComparison.Ordinal)
        && string.Equals(snapshot.Tag(ToolTags.Environment), legacy.Environment, StringComparison.Ordinal);

    private static Verdict Foreign(RetentionReason reason, string text) => new(Ownership.Foreign, reason, text);
}
