using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>
/// Whose snapshot is it, from tags alone. Each row puts one old completed snapshot next to a newer
/// one of ours, so an own snapshot would be deleted: Foreign rows prove the tags alone saved it.
/// </summary>
public sealed class OwnershipClassificationTests
{
    private const string Ours = "offline-backup:created-by=offline-backup,offline-backup:volume-id=" + Volume;
    private const string LegacySet = "role=mysql-replica,schema=shop,Environment=production";

    public static TheoryData<string, string, string, bool, Ownership, RetentionReason> Cases => new()
    {
        { "our tags", Ours, Volume, true, Ownership.Ours, RetentionReason.Expired },
        { "our tags plus the legacy set", Ours + "," + LegacySet, Volume, false, Ownership.Ours, RetentionReason.Expired },
        { "our tags on another volume's snapshot", Ours, OtherVolume, true, Ownership.Foreign, RetentionReason.OtherVolume },
        { "no tags", "", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "Name only (manual)", "Name=before-upgrade", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "created-by another tool", "offline-backup:created-by=other-tool,offline-backup:volume-id=" + Volume, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "created-by value in other case", "offline-backup:created-by=Offline-Backup,offline-backup:volume-id=" + Volume, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "created-by key in other case", "Offline-Backup:Created-By=offline-backup,offline-backup:volume-id=" + Volume, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "created-by without volume tag", "offline-backup:created-by=offline-backup", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "created-by with another volume tag", "offline-backup:created-by=offline-backup,offline-backup:volume-id=" + OtherVolume, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "volume tag without created-by", "offline-backup:volume-id=" + Volume, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "AWS Backup", "aws:backup:source-resource=arn:aws:ec2:eu-west-1:1:volume/" + Volume, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "DLM", "aws:dlm:lifecycle-policy-id=policy-0123", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set adopted", LegacySet, Volume, true, Ownership.Legacy, RetentionReason.Expired },
        { "legacy set with Name adopted", "Name=db-replica-1," + LegacySet, Volume, true, Ownership.Legacy, RetentionReason.Expired },
        { "legacy set not adopted", LegacySet, Volume, false, Ownership.Foreign, RetentionReason.LegacyNotAdopted },
        { "legacy set on another volume", LegacySet, OtherVolume, true, Ownership.Foreign, RetentionReason.OtherVolume },
        { "legacy set missing Environment", "role=mysql-replica,schema=shop", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set, other environment", "role=mysql-replica,schema=shop,Environment=staging", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set, other schema", "role=mysql-replica,schema=billing,Environment=production", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set, other role", "role=mysql-primary,schema=shop,Environment=production", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set, value in other case", "role=mysql-replica,schema=shop,Environment=Production", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set, key in other case", "role=mysql-replica,schema=shop,environment=production", Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set plus another tool's created-by", "offline-backup:created-by=other-tool," + LegacySet, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set plus a volume tag naming another volume", "offline-backup:volume-id=" + OtherVolume + "," + LegacySet, Volume, true, Ownership.Foreign, RetentionReason.NotOurs },
        { "legacy set plus a volume tag naming this volume", "offline-backup:volume-id=" + Volume + "," + LegacySet, Volume, true, Ownership.Legacy, RetentionReason.Expired },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classifies_by_volume_and_tags(
        string name, string tags, string snapshotVolume, bool adoptLegacy, Ownership ownership, RetentionReason reason)
    {
        var old = Make("snap-old", TimeSpan.FromDays(30), ParseTags(tags), volume: snapshotVolume);
        var newer = Make("snap-new", TimeSpan.FromHours(1), OurTags());

        var plan = RetentionPlanner.Plan([old, newer], Policy(adoptLegacy: adoptLegacy), Now);

        var decision = plan.Find("snap-old")!;
        Assert.True(ownership == decision.Ownership, $"{name}: ownership {decision.Ownership}, want {ownership}");
        Assert.True(reason == decision.ReasonCode, $"{name}: reason {decision.ReasonCode}, want {reason}");
        Assert.Equal(ownership == Ownership.Foreign ? RetentionAction.Keep : RetentionAction.Delete, decision.Action);
        Assert.Same(old, decision.Snapshot);
    }

    [Fact]
    public void A_tag_dictionary_with_ignore_case_comparer_does_not_widen_ownership()
    {
        // Tags might reach the planner through a case-insensitive dictionary; values still compare exactly.
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ToolTags.CreatedBy] = "OFFLINE-BACKUP",
            [ToolTags.Volume] = Volume,
        };
        var old = Make("snap-old", TimeSpan.FromDays(30), tags);
        var newer = Make("snap-new", TimeSpan.FromHours(1), OurTags());

        var decision = RetentionPlanner.Plan([old, newer], Policy(), Now).Find("snap-old")!;

        Assert.Equal((Ownership.Foreign, RetentionAction.Keep), (decision.Ownership, decision.Action));
    }

    [Fact]
    public void Legacy_needs_all_three_configured_values_not_just_presence()
    {
        var policy = Policy() with { LegacyTags = new LegacyTags("mysql-replica", "shop", "staging") };
        var old = Make("snap-old", TimeSpan.FromDays(30), LegacyTagSet());
        var newer = Make("snap-new", TimeSpan.FromHours(1), OurTags());

        var decision = RetentionPlanner.Plan([old, newer], policy, Now).Find("snap-old")!;

        Assert.Equal((Ownership.Foreign, RetentionReason.NotOurs), (decision.Ownership, decision.ReasonCode));
    }
}
