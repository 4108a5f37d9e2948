using OfflineBackup.Bench;

namespace OfflineBackup.Tests.Bench;

/// <summary>
/// The benchmark's own arithmetic and parsing (bench/OfflineBackup.Bench): a misread log line or
/// time(1) report would print a wrong figure without anyone noticing. No timing is asserted here.
/// </summary>
public sealed class BenchParsingTests
{
    [Fact]
    public void The_timings_line_is_read_field_by_field()
    {
        var laps = RunLog.ParseTimings("timings stop_ms=2100 create_ms=180 wait_ms=0 start_ms=950 replication_ms=40 down_ms=1201");

        Assert.Equal(2100, laps["stop"]);
        Assert.Equal(180, laps["create"]);
        Assert.Equal(0, laps["wait"]);
        Assert.Equal(950, laps["start"]);
        Assert.Equal(40, laps["replication"]);
        Assert.Equal(1201, laps["down"]);
        Assert.Equal(6, laps.Count);
    }

    [Fact]
    public void A_timings_line_of_another_shape_is_an_error_not_a_zero()
    {
        Assert.Throws<FormatException>(() => RunLog.ParseTimings("timings stop=2100"));
        Assert.Throws<FormatException>(() => RunLog.ParseTimings("timings stop_ms=2.1s"));
    }

    [Fact]
    public void Log_lines_give_their_utc_times_to_the_millisecond_and_the_last_timings_line()
    {
        var log = RunLog.Parse("""
            { "time": "2026-11-26T02:00:03.412Z", "level": "info", "message": "stopping MySQL with `systemctl stop mysql`", "run_id": "r", "command": "run", "step": "stop", "volume": "", "snapshot": "", "exception": "" }
            { "time": "2026-11-26T02:00:05.009Z", "level": "info", "message": "starting MySQL with `systemctl start mysql`", "step": "start" }
            { "time": "2026-11-26T02:00:06.100Z", "level": "info", "message": "timings stop_ms=900 create_ms=15 start_ms=1000 replication_ms=30 down_ms=1100" }

            """);

        Assert.Equal(3, log.Lines.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 2, 0, 3, 412, TimeSpan.Zero), log.TimeOf("stopping MySQL"));
        Assert.Equal(1597, (log.TimeOf("starting MySQL with") - log.TimeOf("stopping MySQL with")).TotalMilliseconds);
        Assert.Equal("stop", log.Lines[0].Step);
        Assert.Null(log.Lines[2].Step);
        Assert.Equal(1100, log.Timings()["down"]);
        Assert.Throws<InvalidOperationException>(() => log.TimeOf("MySQL is up"));
    }

    [Fact]
    public void Peak_memory_and_cpu_time_come_from_the_gnu_time_report()
    {
        var usage = TimeVerbose.Parse("""
            	Command being timed: "offline-backup run --config /tmp/c.yml"
            	User time (seconds): 0.52
            	System time (seconds): 0.07
            	Percent of CPU this job got: 97%
            	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:00.61
            	Average resident set size (kbytes): 0
            	Maximum resident set size (kbytes): 81715
            	Exit status: 4
            """);

        Assert.Equal(81715, usage.PeakRssKiB);
        Assert.Equal(0.52, usage.UserSeconds);
        Assert.Equal(0.07, usage.SystemSeconds);
        Assert.Throws<FormatException>(() => TimeVerbose.Parse("Command exited with non-zero status 4"));
    }

    [Fact]
    public void Median_min_and_max_of_odd_and_even_counts()
    {
        Assert.Equal(new Stats(3, 1, 9, 5), Stats.Of([9, 1, 3, 2, 4]));
        Assert.Equal(new Stats(2.5, 1, 9, 4), Stats.Of([9, 1, 3, 2]));
        Assert.Equal(new Stats(7, 7, 7, 1), Stats.Of([7]));
        Assert.Throws<ArgumentException>(() => Stats.Of([]));
    }

    [Fact]
    public void Mysql_counters_subtract_the_cost_of_reading_them_and_keep_only_what_moved()
    {
        var before = new Dictionary<string, long> { ["Connections"] = 100, ["Questions"] = 500, ["Com_select"] = 40, ["Com_insert"] = 3 };
        var after = new Dictionary<string, long> { ["Connections"] = 103, ["Questions"] = 521, ["Com_select"] = 47, ["Com_insert"] = 3 };
        var ownCost = new Dictionary<string, long> { ["Connections"] = 1, ["Questions"] = 2, ["Com_show_status"] = 1 };

        var delta = MySqlCounters.Delta(before, after, ownCost);

        Assert.Equal(new Dictionary<string, long> { ["Connections"] = 2, ["Questions"] = 19, ["Com_select"] = 7 }, delta);
    }

    [Fact]
    public void Targets_are_judged_on_the_worst_run()
    {
        Assert.True(Target.AtMost(300, "ms").Check(Stats.Of([12, 300, 40])));
        Assert.False(Target.AtMost(300, "ms").Check(Stats.Of([12, 301, 40])));
        Assert.True(Target.Exactly(1).Check(Stats.Of([1, 1])));
        Assert.False(Target.Exactly(1).Check(Stats.Of([1, 2])));
    }

    [Fact]
    public void Options_default_to_the_recorded_configuration_and_refuse_nonsense()
    {
        var defaults = BenchOptions.Parse(["--published", "/tmp/out"]);
        Assert.Equal(5, defaults.Runs);
        Assert.Equal(120, defaults.CompletionSeconds);
        Assert.Equal(10_000, defaults.InventorySize);
        Assert.Equal(BenchOptions.AllSections, defaults.Sections);
        Assert.Equal("/tmp/out/ready-to-run/offline-backup", defaults.Binary(defaults.Variant));

        var quick = BenchOptions.Parse(["--quick", "--published", "/tmp/out", "--only", "hourly,startup"]);
        Assert.True(quick.Quick);
        Assert.Equal(1, quick.Runs);
        Assert.Equal(["hourly", "startup"], quick.Sections);

        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--runs", "0", "--published", "/tmp/out"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--only", "everything", "--published", "/tmp/out"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--runs", "5"]));
    }
}
