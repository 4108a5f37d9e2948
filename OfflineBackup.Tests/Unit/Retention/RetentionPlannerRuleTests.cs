using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>One row per rule: policy, inventory, and the plan it must give (oldest first).</summary>
public sealed class RetentionPlannerRuleTests
{
    // Default policy: retention=3d min_keep=1 max_deletes=10 adopt=yes.
    public static TheoryData<string, string, string, string> Rules => new()
    {
        { "empty inventory plans nothing", "", "", "" },
        { "expired deleted, newest kept", "", "a ours completed 5d; b ours completed 1d", "a=Delete/Expired b=Keep/NewestKept" },
        { "unexpired kept", "", "a ours completed 10d; b ours completed 2d; c ours completed 1h",
            "a=Delete/Expired b=Keep/Unexpired c=Keep/NewestKept" },
        { "age exactly retention is not expired", "min_keep=1", "a ours completed 3d; b ours completed 1h",
            "a=Keep/Unexpired b=Keep/NewestKept" },
        { "one second over retention is expired", "", "a ours completed 3d1s; b ours completed 1h",
            "a=Delete/Expired b=Keep/NewestKept" },
        { "min_keep keeps the newest however old", "min_keep=3",
            "a ours completed 50d; b ours completed 40d; c ours completed 30d; d ours completed 20d; e ours completed 10d",
            "a=Delete/Expired b=Delete/Expired c=Keep/NewestKept d=Keep/NewestKept e=Keep/NewestKept" },
        { "min_keep larger than inventory keeps all", "min_keep=5", "a ours completed 50d; b legacy completed 40d",
            "a=Keep/NewestKept b=Keep/NewestKept" },
        { "min_keep counts legacy as ours", "min_keep=2", "a ours completed 30d; b legacy completed 20d; c ours completed 10d",
            "a=Delete/Expired b=Keep/NewestKept c=Keep/NewestKept" },
        { "min_keep does not count pending", "", "a ours completed 10d; b ours pending 1h", "a=Keep/NewestKept b=Keep/Pending" },
        { "min_keep does not count error", "", "a ours completed 10d; b ours error 1h", "a=Keep/NewestKept b=Keep/Error" },
        { "min_keep does not count foreign", "", "a ours completed 10d; b untagged completed 1h", "a=Keep/NewestKept b=Keep/NotOurs" },
        { "min_keep does not count unadopted legacy", "adopt=no", "a ours completed 10d; b legacy completed 1h",
            "a=Keep/NewestKept b=Keep/LegacyNotAdopted" },
        { "pending never deleted", "", "a ours pending 90d; b ours completed 1h", "a=Keep/Pending b=Keep/NewestKept" },
        { "error kept for inspection", "", "a ours error 90d; b ours completed 1h", "a=Keep/Error b=Keep/NewestKept" },
        { "unknown state never deleted", "", "a legacy other 90d; b ours completed 1h", "a=Keep/UnknownState b=Keep/NewestKept" },
        { "legacy adopted and expired is deleted", "", "a legacy completed 10d; b ours completed 1h", "a=Delete/Expired b=Keep/NewestKept" },
        { "legacy not adopted is foreign", "adopt=no", "a legacy completed 10d; b ours completed 1h",
            "a=Keep/LegacyNotAdopted b=Keep/NewestKept" },
        { "foreign kinds always kept", "",
            "a untagged completed 90d; b othervol completed 89d; c othertag completed 88d; d awsbackup completed 87d; e dlm completed 86d; f ours completed 1h",
            "a=Keep/NotOurs b=Keep/OtherVolume c=Keep/NotOurs d=Keep/NotOurs e=Keep/NotOurs f=Keep/NewestKept" },
        { "max_deletes takes the oldest first", "max_deletes=2",
            "a ours completed 40d; b ours completed 30d; c ours completed 20d; d ours completed 10d; e ours completed 1h",
            "a=Delete/Expired b=Delete/Expired c=Keep/OverMaxDeletes d=Keep/OverMaxDeletes e=Keep/NewestKept" },
        { "max_deletes not reached by unexpired", "max_deletes=1", "a ours completed 10d; b ours completed 2d; c ours completed 1h",
            "a=Delete/Expired b=Keep/Unexpired c=Keep/NewestKept" },
        { "max_deletes counts legacy and ours together", "max_deletes=1", "a legacy completed 10d; b ours completed 9d; c ours completed 1h",
            "a=Delete/Expired b=Keep/OverMaxDeletes c=Keep/NewestKept" },
        { "future start time never deleted", "min_keep=2", "a ours completed 10d; b ours completed -5m",
            "a=Keep/NewestKept b=Keep/FutureStartTime" },
        // The future snapshot is a real completed backup, so it fills a min_keep slot.
        { "future snapshot fills a min_keep slot", "", "a ours completed 10d; b ours completed -5m",
            "a=Delete/Expired b=Keep/FutureStartTime" },
        { "only future and old: old one still protected by min_keep 2", "min_keep=2", "a ours completed 100d; b ours completed -10d",
            "a=Keep/NewestKept b=Keep/FutureStartTime" },
        { "start time equal to now is age zero", "min_keep=1", "a ours completed 0s; b ours completed 10d",
            "b=Delete/Expired a=Keep/NewestKept" },
        { "ties in start time ordered by id", "max_deletes=1", "b ours completed 5d; a ours completed 5d; c ours completed 1h",
            "a=Delete/Expired b=Keep/OverMaxDeletes c=Keep/NewestKept" },
        { "tie at the min_keep boundary keeps the larger id", "", "snap-2 ours completed 5d; snap-1 ours completed 5d",
            "snap-1=Delete/Expired snap-2=Keep/NewestKept" },
        { "decisions come oldest first whatever the input order", "max_deletes=5",
            "c ours completed 1h; a untagged completed 9d; b legacy pending 2d; d ours completed 4d",
            "a=Keep/NotOurs d=Delete/Expired b=Keep/Pending c=Keep/NewestKept" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    [MemberData(nameof(CalendarRetentionTests.Rules), MemberType = typeof(CalendarRetentionTests))]
    [MemberData(nameof(ProtectedSnapshotTests.Rules), MemberType = typeof(ProtectedSnapshotTests))]
    public void Plans_each_rule(string rule, string policy, string inventory, string expected)
    {
        var plan = RetentionPlanner.Plan(InventorySpec.Parse(inventory), InventorySpec.ParsePolicy(policy), Now);

        Assert.True(expected == InventorySpec.Describe(plan), $"{rule}\nwant: {expected}\ngot:  {InventorySpec.Describe(plan)}");
    }

    [Fact]
    public void ToDelete_is_oldest_first_and_summary_counts_every_class()
    {
        var inventory = InventorySpec.Parse(
            "z ours completed 20d; y legacy completed 30d; x ours completed 10d; w untagged completed 40d; v ours pending 1h; u ours completed 1h");

        var plan = RetentionPlanner.Plan(inventory, Policy(maxDeletes: 2), Now);

        Assert.Equal(["y", "z"], plan.ToDelete.Select(d => d.SnapshotId));
        Assert.Equal(2, plan.DeleteCount);
        Assert.Equal(4, plan.KeepCount);
        Assert.Equal(1, plan.DeferredCount);
        Assert.Equal(4, plan.Count(Ownership.Ours));
        Assert.Equal(1, plan.Count(Ownership.Legacy));
        Assert.Equal(1, plan.Count(Ownership.Foreign));
        Assert.Equal(RetentionReason.OverMaxDeletes, plan.Find("x")?.ReasonCode);
        Assert.Null(plan.Find("nope"));
        Assert.Equal(
            "6 snapshots: delete 2, keep 4 (ours 4, legacy 1, foreign 1; 1 deferred by max_deletes)",
            plan.Summary());
    }

    [Fact]
    public void Same_plan_whatever_the_input_order()
    {
        var inventory = InventorySpec.Parse(
            "a ours completed 9d; b ours completed 9d; c legacy completed 8d; d untagged completed 7d; e ours completed 4d; f ours pending 1h; g ours completed 2h");
        var policy = Policy(maxDeletes: 2, minKeep: 2);
        var expected = InventorySpec.Describe(RetentionPlanner.Plan(inventory, policy, Now));

        foreach (var reordered in new[] { inventory.Reverse().ToList(), inventory.OrderBy(s => s.Tags.Count).ThenByDescending(s => s.Id).ToList() })
        {
            Assert.Equal(expected, InventorySpec.Describe(RetentionPlanner.Plan(reordered, policy, Now)));
        }
    }

    [Fact]
    public void Duplicate_snapshot_ids_are_refused()
    {
        var inventory = InventorySpec.Parse("a ours completed 9d; a ours completed 8d");

        var error = Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan(inventory, Policy(), Now));

        Assert.Contains("snapshot a appears twice", error.Message, StringComparison.Ordinal);
    }
}
