using OfflineBackup.Metrics;
using static OfflineBackup.Tests.Unit.Metrics.MetricsFileHistory;

namespace OfflineBackup.Tests.Unit.Metrics;

/// <summary>What each invocation leaves in the metrics file, and what it carries over from the one before.</summary>
public sealed class MetricsUpdateTests
{
    private static readonly DateTimeOffset Backup = Start.AddHours(3);

    [Fact]
    public async Task A_not_due_run_keeps_the_last_backups_figures_and_updates_what_it_saw()
    {
        var history = Create();
        await history.InvokeAsync("run", 0, Backup, facts =>
        {
            facts.ObserveGuards([Passed("lock"), Passed("age")]);
            facts.ObserveSnapshots([history.Ours("snap-1", Backup.AddDays(-1))]);
            facts.ObserveBackup(true, TimeSpan.FromSeconds(12.5), TimeSpan.FromSeconds(30));
        });

        var later = Backup.AddHours(1);
        var values = await history.InvokeAsync("run", 4, later, facts =>
        {
            facts.ObserveGuards([Passed("lock"), NotDue()]);
            facts.ObserveSnapshots([history.Ours("snap-1", Backup.AddDays(-1)), history.Ours("snap-2", Backup.AddSeconds(5))]);
        });

        Assert.Equal(Backup.ToUnixTimeSeconds(), values.Get(MetricCatalog.LastSuccessTimestamp));
        Assert.Equal(12.5, values.Get(MetricCatalog.MySqlUnavailable));
        Assert.Equal(30, values.Get(MetricCatalog.SnapshotDuration));
        Assert.Equal(later.ToUnixTimeSeconds(), values.Get(MetricCatalog.LastRunTimestamp, "run"));
        Assert.Equal(4, values.Get(MetricCatalog.LastRunExitCode, "run"));
        Assert.Equal(Backup.AddSeconds(5).ToUnixTimeSeconds(), values.Get(MetricCatalog.NewestSnapshotTimestamp));
        Assert.Equal(0, values.Get(MetricCatalog.GuardOk, "age"));
        Assert.Equal(1, values.Get(MetricCatalog.GuardOk, "lock"));
        Assert.Equal(86400, values.Get(MetricCatalog.MinSnapshotAge));
    }

    [Fact]
    public async Task A_drill_records_its_result_and_restore_time_and_later_runs_carry_them_over()
    {
        var history = Create();
        await history.InvokeAsync("drill", 0, Backup, facts => facts.ObserveDrill(true, TimeSpan.FromSeconds(4.5)));
        var afterPass = await history.InvokeAsync("run", 4, Backup.AddHours(1), facts => facts.ObserveGuards([NotDue()]));

        Assert.Equal(Backup.ToUnixTimeSeconds(), afterPass.Get(MetricCatalog.LastDrillTimestamp));
        Assert.Equal(1, afterPass.Get(MetricCatalog.LastDrillSuccess));
        Assert.Equal(4.5, afterPass.Get(MetricCatalog.DrillRestoreTime));

        var failed = await history.InvokeAsync("drill", 15, Backup.AddHours(2), facts => facts.ObserveDrill(false, null));

        Assert.Equal(Backup.AddHours(2).ToUnixTimeSeconds(), failed.Get(MetricCatalog.LastDrillTimestamp));
        Assert.Equal(0, failed.Get(MetricCatalog.LastDrillSuccess));
        Assert.Null(failed.Get(MetricCatalog.DrillRestoreTime));
        Assert.Equal(15, failed.Get(MetricCatalog.LastRunExitCode, "drill"));
    }

    [Fact]
    public async Task A_run_refused_before_the_sweep_keeps_the_inventory_and_the_guards_it_did_not_reach()
    {
        var history = Create();
        await history.InvokeAsync("run", 4, Backup, facts =>
        {
            facts.ObserveGuards([Passed("lock"), Passed("replica"), NotDue()]);
            facts.ObserveSnapshots([history.Ours("snap-1", Backup.AddHours(-2))]);
        });

        var values = await history.InvokeAsync("run", 3, Backup.AddHours(1), facts =>
            facts.ObserveGuards([GuardResult.Refuse("lock", 3, "held by 42")]));

        Assert.Equal(Backup.AddHours(-2).ToUnixTimeSeconds(), values.Get(MetricCatalog.NewestSnapshotTimestamp));
        Assert.Equal(1, values.Get(MetricCatalog.Snapshots, "ours", "completed"));
        Assert.Equal(0, values.Get(MetricCatalog.GuardOk, "lock"));
        Assert.Equal(1, values.Get(MetricCatalog.GuardOk, "replica"));
        Assert.Equal(0, values.Get(MetricCatalog.GuardOk, "age"));
        Assert.Equal(3, values.Get(MetricCatalog.LastRunExitCode, "run"));
    }

    [Theory]
    [InlineData(new[] { 6 }, 1)]
    [InlineData(new[] { 6, 8 }, 2)]
    [InlineData(new[] { 6, 8, 4 }, 0)]
    [InlineData(new[] { 6, 0, 9 }, 1)]
    [InlineData(new[] { 4, 4, 143, 130 }, 2)]
    [InlineData(new[] { 0, 4, 4 }, 0)]
    public async Task Failures_in_a_row_count_every_code_but_0_and_4(int[] exitCodes, int expected)
    {
        var history = Create();
        var at = Start;
        foreach (var code in exitCodes)
        {
            at = at.AddHours(1);
            await history.InvokeAsync("run", code, at);
        }

        Assert.Equal(expected, history.Values.Get(MetricCatalog.ConsecutiveFailures, "run"));
    }

    [Fact]
    public async Task Each_command_and_a_dry_run_keeps_its_own_series()
    {
        var history = Create();
        await history.InvokeAsync("run", 6, Start);
        await history.InvokeAsync("check", 6, Start.AddMinutes(10));
        await history.InvokeAsync("run", 0, Start.AddMinutes(20), facts => facts.DryRun = true);
        var values = await history.InvokeAsync("prune", 10, Start.AddMinutes(30));

        Assert.Equal(1, values.Get(MetricCatalog.ConsecutiveFailures, "run"));
        Assert.Equal(6, values.Get(MetricCatalog.LastRunExitCode, "run"));
        Assert.Equal(Start.ToUnixTimeSeconds(), values.Get(MetricCatalog.LastRunTimestamp, "run"));
        Assert.Equal(1, values.Get(MetricCatalog.ConsecutiveFailures, "check"));
        Assert.Equal(0, values.Get(MetricCatalog.LastRunExitCode, "run --dry-run"));
        Assert.Equal(10, values.Get(MetricCatalog.LastRunExitCode, "prune"));
    }

    [Fact]
    public async Task Retention_failing_since_holds_the_first_failure_until_a_pass_succeeds()
    {
        var history = Create();
        var first = Start.AddHours(3);
        await history.InvokeAsync("prune", 10, first, facts => facts.ObserveRetention(Failed()));
        var values = await history.InvokeAsync("prune", 10, first.AddDays(1), facts => facts.ObserveRetention(Failed()));
        Assert.Equal(first.ToUnixTimeSeconds(), values.Get(MetricCatalog.RetentionFailingSince));

        values = await history.InvokeAsync("run", 4, first.AddDays(1).AddHours(1));
        Assert.Equal(first.ToUnixTimeSeconds(), values.Get(MetricCatalog.RetentionFailingSince));

        values = await history.InvokeAsync("prune", 0, first.AddDays(2), facts => facts.ObserveRetention(
            new RetentionResult(history.Settings.Instance.VolumeId, null, [], [], [], [], [])));
        Assert.Equal(0, values.Get(MetricCatalog.RetentionFailingSince));
        Assert.Equal(0, values.Get(MetricCatalog.RetentionDeleted));

        RetentionResult Failed() => RetentionResult.SweepFailed(history.Settings.Instance.VolumeId, 10, "throttled");
    }

    [Fact]
    public async Task Snapshots_are_counted_by_owner_and_state_with_zeros_and_the_newest_completed_is_anyones()
    {
        var history = Create(s => s with { Retention = s.Retention with { AdoptLegacy = true } });
        var values = await history.InvokeAsync("check", 0, Start, facts => facts.ObserveSnapshots(
        [
            history.Ours("snap-1", Start.AddDays(-2)),
            history.Ours("snap-2", Start.AddDays(-1)),
            history.Ours("snap-3", Start.AddMinutes(-5), SnapshotState.Pending),
            history.Legacy("snap-4", Start.AddDays(-30)),
            history.Foreign("snap-5", Start.AddHours(-20)),
            history.Foreign("snap-6", Start.AddHours(-1), SnapshotState.Error),
        ]));

        Assert.Equal(2, values.Get(MetricCatalog.Snapshots, "ours", "completed"));
        Assert.Equal(1, values.Get(MetricCatalog.Snapshots, "ours", "pending"));
        Assert.Equal(1, values.Get(MetricCatalog.Snapshots, "legacy", "completed"));
        Assert.Equal(1, values.Get(MetricCatalog.Snapshots, "foreign", "completed"));
        Assert.Equal(1, values.Get(MetricCatalog.Snapshots, "foreign", "error"));
        Assert.Equal(0, values.Get(MetricCatalog.Snapshots, "legacy", "other"));
        Assert.Equal(12, values.Samples.Count(s => s.Family == MetricCatalog.Snapshots));
        Assert.Equal(Start.AddHours(-20).ToUnixTimeSeconds(), values.Get(MetricCatalog.NewestSnapshotTimestamp));

        values = await history.InvokeAsync("check", 0, Start.AddHours(1), facts => facts.ObserveSnapshots([]));
        Assert.Equal(0, values.Get(MetricCatalog.NewestSnapshotTimestamp));
        Assert.Equal(0, values.Get(MetricCatalog.Snapshots, "ours", "completed"));
    }

    [Fact]
    public async Task Retention_reports_the_inventory_it_left_behind()
    {
        var history = Create(s => s with { Retention = s.Retention with { MinKeep = 1 } });
        var now = Start;
        var inventory = new[] { history.Ours("snap-old", now.AddDays(-10)), history.Ours("snap-new", now.AddHours(-1)) };
        var plan = RetentionPlanner.Plan(inventory, RetentionPolicy.From(history.Settings), now);
        var result = new RetentionResult(history.Settings.Instance.VolumeId, plan, plan.ToDelete, [], [], [], []);

        var values = await history.InvokeAsync("run", 0, now, facts => facts.ObserveRetention(result));

        Assert.Equal(1, values.Get(MetricCatalog.RetentionDeleted));
        Assert.Equal(1, values.Get(MetricCatalog.Snapshots, "ours", "completed"));
        Assert.Equal(0, values.Get(MetricCatalog.RetentionFailingSince));
    }

    [Fact]
    public async Task Replica_lag_is_set_when_measured_dropped_when_unknown_and_kept_when_not_looked_at()
    {
        var history = Create();
        var lagged = GuardResult.Pass("replica", "fine") with { ReplicaLag = TimeSpan.FromSeconds(7) };
        var values = await history.InvokeAsync("check", 0, Start, facts => facts.ObserveGuards([lagged]));
        Assert.Equal(7, values.Get(MetricCatalog.ReplicaLag));

        values = await history.InvokeAsync("prune", 0, Start.AddHours(1), facts => facts.ObserveGuards([Passed("lock")]));
        Assert.Equal(7, values.Get(MetricCatalog.ReplicaLag));

        values = await history.InvokeAsync("run", 6, Start.AddHours(2), facts => facts.ObserveGuards([GuardResult.Refuse("replica", 6, "unreachable")]));
        Assert.Null(values.Get(MetricCatalog.ReplicaLag));
        Assert.Equal(0, values.Get(MetricCatalog.GuardOk, "replica"));
    }

    [Fact]
    public async Task Values_of_another_volume_are_not_carried_over()
    {
        var history = Create();
        await history.InvokeAsync("run", 0, Start, facts => facts.ObserveBackup(true, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4)));
        var moved = new MetricsFileHistory(history.Settings with { Instance = history.Settings.Instance with { VolumeId = "vol-0fedcba9876543210" } });
        var text = history.Text;

        var values = TextfileParser.Parse(text, "vol-0fedcba9876543210", history.Settings.Instance.InstanceId);

        Assert.Empty(values.Samples);
        Assert.NotEmpty(TextfileParser.Parse(text, history.Settings.Instance.VolumeId, history.Settings.Instance.InstanceId).Samples);
        Assert.Empty(moved.Values.Samples);
    }
}
