using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>
/// keep_daily/keep_weekly/keep_monthly, one table row per rule. Now is Sunday 2025-06-01 12:00 UTC,
/// the last day of ISO week 2025-W22; retention=1h in most rows so only the calendar keeps.
/// The tables run in the one rule theory and the one reason theory (<see cref="RetentionPlannerRuleTests"/>,
/// <see cref="RetentionReasonTextTests"/>).
/// </summary>
public sealed class CalendarRetentionTests
{
    public static TheoryData<string, string, string, string> Rules => new()
    {
        { "all rules off plans as before", "retention=1h",
            "a ours completed 3d; b ours completed 2d; c ours completed 1d; d ours completed 30m",
            "a=Delete/Expired b=Delete/Expired c=Delete/Expired d=Keep/NewestKept" },
        { "keep_daily keeps the newest of each of the newest N days", "retention=1h daily=3",
            "f ours completed 5d; e ours completed 3d12h; d ours completed 2d; c ours completed 1d6h; b ours completed 1d; a ours completed 10h",
            "f=Delete/Expired e=Delete/Expired d=Keep/CalendarKept c=Delete/Expired b=Keep/CalendarKept a=Keep/NewestKept" },
        { "keep_daily counts days that have a snapshot, not calendar days", "retention=1h daily=2",
            "c ours completed 40d; b ours completed 20d; a ours completed 2h",
            "c=Delete/Expired b=Keep/CalendarKept a=Keep/NewestKept" },
        { "keep_weekly keeps the newest of each ISO week", "retention=1h weekly=2",
            "f ours completed 14d; e ours completed 8d; d ours completed 7d; c ours completed 6d12h; b ours completed 3d; a ours completed 1h",
            "f=Delete/Expired e=Delete/Expired d=Keep/CalendarKept c=Delete/Expired b=Delete/Expired a=Keep/NewestKept" },
        { "keep_monthly keeps the newest of each month", "retention=1h monthly=2",
            "e ours completed 70d; d ours completed 40d; c ours completed 20d; b ours completed 1d; a ours completed 1h",
            "e=Delete/Expired d=Delete/Expired c=Delete/Expired b=Keep/CalendarKept a=Keep/NewestKept" },
        { "monthly reaches back as far as the count", "retention=1h monthly=4",
            "e ours completed 70d; d ours completed 40d; c ours completed 20d; b ours completed 1d; a ours completed 1h",
            "e=Keep/CalendarKept d=Keep/CalendarKept c=Delete/Expired b=Keep/CalendarKept a=Keep/NewestKept" },
        { "days in UTC by default", "retention=1m daily=2",
            "e ours completed 1d1h; d ours completed 1d; c ours completed 13h; b ours completed 11h; a ours completed 30m",
            "e=Delete/Expired d=Delete/Expired c=Keep/CalendarKept b=Delete/Expired a=Keep/NewestKept" },
        // Auckland is UTC+12 in June: now is 00:00 on 2 June there, and a..d fall on 1 June.
        { "days in retention.timezone when set", "retention=1m daily=2 tz=Pacific/Auckland",
            "e ours completed 1d1h; d ours completed 1d; c ours completed 13h; b ours completed 11h; a ours completed 30m",
            "e=Keep/CalendarKept d=Delete/Expired c=Delete/Expired b=Delete/Expired a=Keep/NewestKept" },
        { "a calendar keep never takes a max_deletes slot", "retention=1h daily=2 max_deletes=1",
            "d ours completed 9d; c ours completed 8d; b ours completed 1d; a ours completed 1h",
            "d=Delete/Expired c=Keep/OverMaxDeletes b=Keep/CalendarKept a=Keep/NewestKept" },
        { "min_keep still keeps its newest beyond the calendar", "retention=1h min_keep=3 daily=1",
            "d ours completed 4h; c ours completed 3h; b ours completed 2h; a ours completed 1h",
            "d=Delete/Expired c=Keep/NewestKept b=Keep/NewestKept a=Keep/NewestKept" },
        { "pending and error snapshots open no period", "retention=1h daily=2",
            "d ours completed 1d; c ours completed 2h; b ours error 90m; a ours pending 1h",
            "d=Keep/CalendarKept c=Keep/NewestKept b=Keep/Error a=Keep/Pending" },
        { "foreign snapshots open no period", "retention=1h daily=1 min_keep=1",
            "c ours completed 1d; b ours completed 2h; a untagged completed 1h",
            "c=Delete/Expired b=Keep/NewestKept a=Keep/NotOurs" },
        { "adopted legacy counts like ours", "retention=1h daily=2",
            "c ours completed 2d; b legacy completed 1d; a ours completed 1h",
            "c=Delete/Expired b=Keep/CalendarKept a=Keep/NewestKept" },
        { "unadopted legacy is not kept by the calendar, nor deleted", "retention=1h daily=2 adopt=no",
            "c ours completed 2d; b legacy completed 1d; a ours completed 1h",
            "c=Keep/CalendarKept b=Keep/LegacyNotAdopted a=Keep/NewestKept" },
        { "unexpired stays the code when the calendar keeps too", "retention=3d daily=3 min_keep=1",
            "c ours completed 2d; b ours completed 1d; a ours completed 1h",
            "c=Keep/Unexpired b=Keep/Unexpired a=Keep/NewestKept" },
    };

    public static TheoryData<string, string, string, string> Reasons => new()
    {
        // policy, inventory, snapshot, reason
        { "retention=1h weekly=4", "b ours completed 8d; a ours completed 1h", "b",
            "newest of ISO week 2025-W21 (keep_weekly 4)" },
        { "retention=1h daily=7", "b ours completed 1d; a ours completed 1h", "b",
            "newest of day 2025-05-31 (keep_daily 7)" },
        { "retention=1h monthly=12", "b ours completed 3d; a ours completed 1h", "b",
            "newest of month 2025-05 (keep_monthly 12)" },
        // 2024-12-30 is a Monday of ISO week 1 of 2025: the ISO year, not the calendar year.
        { "retention=1h weekly=2", "b ours completed 153d; a ours completed 1h", "b",
            "newest of ISO week 2025-W01 (keep_weekly 2)" },
        { "retention=1h daily=7 weekly=4 monthly=12", "b ours completed 1d", "b",
            "newest 1 completed kept (min_keep); newest of day 2025-05-31 (keep_daily 7); newest of ISO week 2025-W22 (keep_weekly 4); newest of month 2025-05 (keep_monthly 12)" },
        { "retention=1h daily=2", "a ours completed 1h", "a",
            "newest 1 completed kept (min_keep); newest of day 2025-06-01 (keep_daily 2)" },
        { "retention=3d daily=2", "b ours completed 1d; a ours completed 1h", "b",
            "younger than retention (1d < 3d); newest of day 2025-05-31 (keep_daily 2)" },
        { "retention=1m daily=2 tz=Pacific/Auckland", "b ours completed 1d1h; a ours completed 30m", "b",
            "newest of day 2025-05-31 in Pacific/Auckland (keep_daily 2)" },
    };

    [Fact]
    public void A_negative_count_is_refused_before_planning()
    {
        var policy = Policy() with { Calendar = CalendarRules.Off with { KeepWeekly = -1 } };

        var error = Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan([], policy, Now));

        Assert.Contains("keep_weekly must be >= 0", error.Message, StringComparison.Ordinal);
    }
}
