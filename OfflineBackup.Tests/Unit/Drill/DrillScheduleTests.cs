using OfflineBackup.Drill;

namespace OfflineBackup.Tests.Unit.Drill;

public sealed class DrillScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<int?, double?, bool> Cases => new()
    {
        { null, null, false },      // every_days unset: run never drills
        { null, 30, false },
        { 7, null, true },          // never drilled: due
        { 7, 6.9, false },
        { 7, 7, true },
        { 1, 1.5, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_drill_is_due_once_every_days_have_passed_since_the_last_passed_one(int? everyDays, double? daysSincePassed, bool due) =>
        Assert.Equal(due, DrillSchedule.IsDue(everyDays, daysSincePassed is { } d ? Now - TimeSpan.FromDays(d) : null, Now));

    [Fact]
    public void The_last_passed_drill_is_the_newest_tag_over_all_snapshots_and_unreadable_tags_are_ignored()
    {
        Snapshot[] snapshots =
        [
            With("2026-11-01T00:00:00Z"),
            With("2026-11-20T08:30:00Z"),
            With("not a date"),
            With(null),
        ];

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), DrillSchedule.LastPassed(snapshots));
        Assert.Null(DrillSchedule.LastPassed([With(null)]));
    }

    [Fact]
    public void The_dry_run_lists_a_drill_only_when_one_is_due()
    {
        var drill = DrillSettings.Default with { EveryDays = 7, CountTables = ["shop.orders"] };

        var never = DrillSchedule.Describe(drill, [With(null)], Now);
        var due = DrillSchedule.Describe(drill, [With("2026-11-20T08:30:00Z")], Now);

        Assert.Equal("restore drill of the new snapshot (drill.every_days 7; last passed drill: never)", never!.Action);
        Assert.Equal("restore drill of the new snapshot (drill.every_days 7; last passed drill: 2026-11-20 08:30:00Z)", due!.Action);
        Assert.Contains(due.Details, d => d.Contains("/var/lib/offline-backup/drill/mnt", StringComparison.Ordinal));
        Assert.Contains(due.Details, d => d.Contains("rows of shop.orders", StringComparison.Ordinal));
        Assert.Null(DrillSchedule.Describe(drill, [With("2026-11-25T00:00:00Z")], Now));
        Assert.Null(DrillSchedule.Describe(DrillSettings.Default, [With(null)], Now));
    }

    private static Snapshot With(string? lastPassed) => new(
        "snap-1", "vol-1", SnapshotState.Completed, "100%", Now, 10, "",
        lastPassed is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ToolTags.LastPassedDrill] = lastPassed });
}
