using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>
/// Snapshot Lock and the in-use mark: a snapshot EC2 would refuse to delete is never planned for
/// deletion and never takes a max_deletes slot. Default policy: retention=3d min_keep=1.
/// <see cref="Rules"/> runs in the one rule theory, <see cref="RetentionPlannerRuleTests"/>.
/// </summary>
public sealed class ProtectedSnapshotTests
{
    public static TheoryData<string, string, string, string> Rules => new()
    {
        { "a locked expired snapshot is kept", "",
            "a ours completed 10d locked; b ours completed 1h", "a=Keep/Locked b=Keep/NewestKept" },
        { "governance mode keeps too", "",
            "a ours completed 10d governance; b ours completed 1h", "a=Keep/Locked b=Keep/NewestKept" },
        { "an expired lock protects nothing", "",
            "a ours completed 10d lock-expired; b ours completed 1h", "a=Delete/Expired b=Keep/NewestKept" },
        { "a locked snapshot takes no max_deletes slot", "max_deletes=1",
            "a ours completed 12d locked; b ours completed 11d; c ours completed 10d; d ours completed 1h",
            "a=Keep/Locked b=Delete/Expired c=Keep/OverMaxDeletes d=Keep/NewestKept" },
        { "a locked snapshot still counts as one of the newest", "min_keep=2",
            "a ours completed 12d; b ours completed 11d; c ours completed 10d locked",
            "a=Delete/Expired b=Keep/NewestKept c=Keep/Locked" },
        { "a fresh in-use mark keeps without a delete attempt", "",
            "a ours completed 10d inuse; b ours completed 1h", "a=Keep/InUse b=Keep/NewestKept" },
        { "an in-use snapshot takes no max_deletes slot", "max_deletes=1",
            "a ours completed 12d inuse; b ours completed 11d; c ours completed 10d; d ours completed 1h",
            "a=Keep/InUse b=Delete/Expired c=Keep/OverMaxDeletes d=Keep/NewestKept" },
        { "a week-old mark is tried again", "",
            "a ours completed 10d inuse-stale; b ours completed 1h", "a=Delete/Expired b=Keep/NewestKept" },
        { "a mark that does not read is ignored", "",
            "a ours completed 10d inuse-garbage; b ours completed 1h", "a=Delete/Expired b=Keep/NewestKept" },
        { "a mark far in the future does not keep for ever", "",
            "a ours completed 10d inuse-future; b ours completed 1h", "a=Delete/Expired b=Keep/NewestKept" },
        { "locks on foreign and pending snapshots change nothing else", "",
            "a untagged completed 10d locked; b ours pending 2d locked; c ours completed 1h",
            "a=Keep/NotOurs b=Keep/Pending c=Keep/NewestKept" },
    };

    public static TheoryData<string, string, string> Reasons => new()
    {
        // inventory, snapshot, reason
        { "a ours completed 10d locked; b ours completed 1h", "a",
            "locked (compliance until 2025-06-11 12:00:00Z): never deleted" },
        { "a ours completed 10d inuse; b ours completed 1h", "a",
            "in use by ami-0123abcd (found 2025-05-31 12:00:00Z; tried again after 2025-06-07 12:00:00Z)" },
        { "a ours completed 1h locked", "a",
            "locked (compliance until 2025-06-11 12:00:00Z): never deleted; newest 1 completed kept (min_keep)" },
        { "a untagged completed 10d locked", "a",
            "foreign: no offline-backup ownership tag; locked (compliance until 2025-06-11 12:00:00Z): never deleted" },
        { "a ours pending 10d governance", "a",
            "pending: never deleted; locked (governance until 2025-06-11 12:00:00Z): never deleted" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Says_why(string inventory, string snapshotId, string reason)
    {
        var plan = RetentionPlanner.Plan(InventorySpec.Parse(inventory), Policy(), Now);

        Assert.Equal(reason, plan.Find(snapshotId)!.Reason);
    }

    [Theory]
    [InlineData("ami-0123456789abcdef0", "ami-0123456789abcdef0 at 2025-06-01T12:00:00Z")]
    [InlineData(null, "an AMI at 2025-06-01T12:00:00Z")]
    public void The_mark_reads_back_what_was_written(string? image, string expected)
    {
        var mark = InUseMark.Format(image, Now);
        var snapshot = Make("a", TimeSpan.FromDays(1), new Dictionary<string, string> { [ToolTags.InUse] = mark });

        Assert.Equal(expected, mark);
        Assert.Equal((image ?? "an AMI", Now), InUseMark.Read(snapshot));
    }

    [Theory]
    [InlineData("ami-0123 at yesterday")]
    [InlineData("ami-0123 at 2025-06-01T12:00:00Z; rm -rf /")]
    [InlineData("snap-0123 at 2025-06-01T12:00:00Z")]
    [InlineData("")]
    public void A_mark_written_by_someone_else_does_not_read(string value)
    {
        var snapshot = Make("a", TimeSpan.FromDays(1), new Dictionary<string, string> { [ToolTags.InUse] = value });

        Assert.Null(InUseMark.Read(snapshot));
    }
}
