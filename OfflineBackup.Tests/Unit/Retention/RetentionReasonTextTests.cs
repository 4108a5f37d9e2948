using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>The exact words a DBA reads in the plan; the README quotes these.</summary>
public sealed class RetentionReasonTextTests
{
    public static TheoryData<string, string, string, string> Reasons => new()
    {
        // policy, inventory, snapshot, reason
        { "", "a untagged completed 9d", "a", "foreign: no offline-backup ownership tag" },
        { "", "a othervol completed 9d", "a", $"foreign: snapshot of another volume ({OtherVolume})" },
        { "", "a othertag completed 9d", "a", $"foreign: offline-backup:volume-id tag names another volume, not {Volume}" },
        { "adopt=no", "a legacy completed 9d", "a", "foreign: original tool's role/schema/Environment tags, adopt_legacy is off" },
        { "", "a ours pending 9d", "a", "pending: never deleted" },
        { "", "a ours error 9d", "a", "error: kept for inspection" },
        { "", "a ours other 9d", "a", "state unknown to offline-backup: never deleted" },
        { "", "a ours completed -1h30m", "a", "start time 1h 30m in the future (clock skew?): never deleted" },
        { "", "a ours completed 0s; b ours completed -1m", "a", "younger than retention (0s < 3d)" },
        { "min_keep=3", "a ours completed 90d; b ours completed 1d", "a", "newest 3 completed kept (min_keep)" },
        { "retention=2d21h26m", "a ours completed 2d3h; b ours completed 1h", "a", "younger than retention (2d 3h < 2d 21h 26m)" },
        { "retention=3d", "a ours completed 3d; b ours completed 1h", "a", "not yet expired (3d old = retention 3d)" },
        { "retention=2d21h26m", "a ours completed 3d1h; b ours completed 1h", "a", "expired: 3d 1h old > 2d 21h 26m" },
        { "retention=2d21h26m max_deletes=1", "a ours completed 4d; b ours completed 3d1h; c ours completed 1h", "b",
            "over max_deletes (1) this run: next run (expired: 3d 1h old > 2d 21h 26m)" },
        { "retention=1d", "a legacy completed 400d2m7s; b ours completed 1h", "a", "expired: 400d 2m 7s old > 1d" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    [MemberData(nameof(CalendarRetentionTests.Reasons), MemberType = typeof(CalendarRetentionTests))]
    public void Says_why(string policy, string inventory, string snapshotId, string reason)
    {
        var plan = RetentionPlanner.Plan(InventorySpec.Parse(inventory), InventorySpec.ParsePolicy(policy), Now);

        Assert.Equal(reason, plan.Find(snapshotId)!.Reason);
    }

    [Fact]
    public void Sub_second_differences_are_shown_rather_than_reading_equal()
    {
        var old = Make("a", TimeSpan.FromDays(3) + TimeSpan.FromMilliseconds(500), OurTags());
        var newer = Make("b", TimeSpan.FromHours(1), OurTags());

        var plan = RetentionPlanner.Plan([old, newer], Policy(retention: TimeSpan.FromDays(3)), Now);

        Assert.Equal("expired: 3d 0.5s old > 3d 0s", plan.Find("a")!.Reason);
    }

    [Fact]
    public void Sub_second_future_start_is_named_as_such()
    {
        var skewed = Make("a", TimeSpan.FromMilliseconds(-200), OurTags());

        var plan = RetentionPlanner.Plan([skewed], Policy(), Now);

        Assert.Equal("start time under 1s in the future (clock skew?): never deleted", plan.Find("a")!.Reason);
    }

    [Fact]
    public void Foreign_tag_values_are_never_echoed()
    {
        var tags = ParseTags($"offline-backup:created-by=evil\nline,offline-backup:volume-id={Volume}");
        var plan = RetentionPlanner.Plan([Make("a", TimeSpan.FromDays(9), tags)], Policy(), Now);

        var reason = plan.Find("a")!.Reason;

        Assert.Equal("foreign: offline-backup:created-by is not 'offline-backup'", reason);
        Assert.DoesNotContain("evil", reason, StringComparison.Ordinal);
    }
}
