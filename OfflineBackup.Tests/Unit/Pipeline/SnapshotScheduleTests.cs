namespace OfflineBackup.Tests.Unit.Pipeline;

public sealed class SnapshotScheduleTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Theory]
    [InlineData(3)]
    [InlineData(12)]
    [InlineData(40)]
    public void Hourly_cron_keeps_the_daily_snapshot_at_its_hour_for_14_days(int stopMinutes)
    {
        // Cron fires at minute 0 of every hour; a due run stops MySQL, which takes stopMinutes,
        // and only then calls CreateSnapshot, whose start time is what the age guard reads.
        var tolerance = TimeSpan.FromMinutes(45);
        var start = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);
        var snapshotStarts = new List<DateTimeOffset>();
        DateTimeOffset? newest = null;

        for (var tick = start; tick < start.AddDays(14); tick = tick.AddHours(1))
        {
            if (newest is null || SnapshotSchedule.IsDue(newest.Value, tick, Day, tolerance))
            {
                newest = tick.AddMinutes(stopMinutes);
                snapshotStarts.Add(newest.Value);
            }
        }

        Assert.Equal(14, snapshotStarts.Count);
        Assert.All(snapshotStarts, s => Assert.Equal(new TimeSpan(2, stopMinutes, 0), s.TimeOfDay));
    }

    [Fact]
    public void Without_tolerance_the_same_schedule_drifts_an_hour_a_day()
    {
        // The failure the tolerance exists for, shown so the test above cannot pass by accident.
        var start = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);
        var hours = new List<int>();
        DateTimeOffset? newest = null;
        for (var tick = start; tick < start.AddDays(5); tick = tick.AddHours(1))
        {
            if (newest is null || SnapshotSchedule.IsDue(newest.Value, tick, Day, TimeSpan.Zero))
            {
                newest = tick.AddMinutes(3);
                hours.Add(newest.Value.Hour);
            }
        }

        Assert.Equal([2, 3, 4, 5], hours.Take(4));
    }

    [Theory]
    [InlineData(23 * 60 + 14, false)]
    [InlineData(23 * 60 + 15, true)]
    [InlineData(24 * 60, true)]
    [InlineData(22 * 60 + 57, false)]
    public void Due_exactly_from_minimum_age_less_tolerance(int ageMinutes, bool due)
    {
        var now = new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(due, SnapshotSchedule.IsDue(now.AddMinutes(-ageMinutes), now, Day, TimeSpan.FromMinutes(45)));
    }
}
