using OfflineBackup.Text;

namespace OfflineBackup.Tests.Unit.Text;

public sealed class DurationsTests
{
    public static TheoryData<long, string> Cases => new()
    {
        { 0, "0s" },
        { TimeSpan.TicksPerMillisecond * 999, "0s" },
        { TimeSpan.TicksPerSecond * 59, "59s" },
        { TimeSpan.TicksPerMinute, "1m" },
        { TimeSpan.TicksPerHour + TimeSpan.TicksPerSecond, "1h 1s" },
        { (2 * TimeSpan.TicksPerDay) + (21 * TimeSpan.TicksPerHour) + (26 * TimeSpan.TicksPerMinute), "2d 21h 26m" },
        { 400 * TimeSpan.TicksPerDay, "400d" },
        { -TimeSpan.TicksPerHour, "-1h" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Formats(long ticks, string text) => Assert.Equal(text, Durations.Exact(new TimeSpan(ticks)));

    [Fact]
    public void Distinct_values_never_read_the_same()
    {
        var retention = TimeSpan.FromDays(2);
        var age = retention + TimeSpan.FromTicks(1);

        Assert.Equal(("2d 0.0000001s", "2d 0s"), Durations.ExactDistinct(age, retention));
        Assert.Equal(("2d", "2d"), Durations.ExactDistinct(retention, retention));
        Assert.Equal(("2d 1s", "2d"), Durations.ExactDistinct(retention + TimeSpan.FromSeconds(1), retention));
        Assert.Equal(("0.25s", "0s"), Durations.ExactDistinct(TimeSpan.FromMilliseconds(250), TimeSpan.Zero));
    }
}
