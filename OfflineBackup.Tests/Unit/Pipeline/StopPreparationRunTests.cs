namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>
/// The run with its pre-flush and clean-shutdown steps, on fakes: the lowered limits are in the
/// journal before they change and are put back on every way out; an unclean shutdown fails.
/// </summary>
public sealed class StopPreparationRunTests : FakeRunTests
{
    private static readonly FlushLimits Originals = new(75, 10);
    private readonly FakeInnoDbServer _innoDb = new() { Limits = Originals };

    [Fact]
    public async Task A_good_run_pre_flushes_with_the_originals_journaled_and_puts_them_back()
    {
        JournalEntry? duringStop = null;
        FlushLimits? limitsAtStop = null;
        _service.DuringStop = _ =>
        {
            (duringStop, limitsAtStop) = (_journal.Read(), _innoDb.Limits);
            return Task.CompletedTask;
        };

        var report = await ExecutePrepared();

        Assert.Equal(ExitCodes.Success, report.ExitCode);
        Assert.Equal(FlushLimits.FlushEverything, limitsAtStop);
        Assert.Equal(Originals, duringStop!.Changed!.FlushLimits);
        Assert.Equal(Originals, _innoDb.Limits);
        Assert.Single(_store.Created);
        Assert.Null(_journal.Read());
        // The fake logs to stderr: the clean shutdown cannot be confirmed, which is said, not failed.
        Assert.Contains(report.Notices, n => n.Text.Contains("cannot confirm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_after_the_pre_flush_puts_the_limits_back_without_stopping_mysql()
    {
        // Somebody sets the slow-only shutdown while the pre-flush runs: the check just before the stop refuses.
        _innoDb.Dirty.Clear();
        _innoDb.Dirty.Enqueue(50);
        var prepared = new PreFlushThen(_innoDb, () => _innoDb.FastShutdown = 2);

        var report = await ExecutePrepared(prepared);

        Assert.Equal(ExitCodes.ReplicaUnhealthy, report.ExitCode);
        Assert.Contains("innodb_fast_shutdown is 2", report.Problems[0]);
        Assert.Empty(_service.Calls);
        Assert.Empty(_store.Created);
        Assert.Equal(Originals, _innoDb.Limits);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task A_signal_during_the_pre_flush_puts_the_limits_back()
    {
        using var signal = new CancellationTokenSource();
        var prepared = new PreFlushThen(_innoDb, signal.Cancel);

        var report = await ExecutePrepared(prepared, signal.Token);

        Assert.Equal(ExitCodes.Terminated, report.ExitCode);
        Assert.Empty(_service.Calls);
        Assert.Equal(Originals, _innoDb.Limits);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task A_shutdown_without_its_completion_line_is_a_failed_backup_with_mysql_started()
    {
        var log = Path.Combine(_dir.Path, "mysqld.err");
        await File.WriteAllTextAsync(log, "2026-11-29  2:00:00 0 [Note] Shutdown complete\n(an earlier, clean one)\n");
        _innoDb.ErrorLog = log;
        _service.DuringStop = _ => File.AppendAllTextAsync(log, "2026-11-29  2:00:01 0 [Note] InnoDB: Starting shutdown...\n");

        var report = await ExecutePrepared();

        Assert.Equal(ExitCodes.StopTimedOut, report.ExitCode);
        Assert.Contains("without a clean shutdown", report.Problems[0]);
        Assert.Empty(_store.Created);
        Assert.True(_service.Up);
        Assert.Equal(["stop", "start"], _service.Calls);
        Assert.Equal(Originals, _innoDb.Limits);
    }

    [Fact]
    public async Task A_shutdown_that_logs_its_completion_is_confirmed()
    {
        var log = Path.Combine(_dir.Path, "mysqld.err");
        await File.WriteAllTextAsync(log, string.Empty);
        _innoDb.ErrorLog = log;
        _innoDb.DumpAtShutdown = false;
        _service.DuringStop = _ => File.AppendAllTextAsync(log, "2026-11-29  2:00:01 0 [Note] /usr/sbin/mariadbd: Shutdown complete\n");

        var report = await ExecutePrepared();

        Assert.Equal(ExitCodes.Success, report.ExitCode);
        Assert.Empty(report.Notices);
        Assert.Contains("dump", _innoDb.Calls);
    }

    [Fact]
    public async Task Limits_that_cannot_be_put_back_keep_the_journal_so_the_next_run_does_it()
    {
        // The connection breaks for SET GLOBAL once the limits are lowered: the backup itself goes through.
        var prepared = new PreFlushThen(_innoDb, () => _innoDb.SetFails = new BackupException(ExitCodes.ReplicaUnhealthy, "connection lost"));

        var report = await ExecutePrepared(prepared);

        Assert.Equal(ExitCodes.ReplicaUnhealthy, report.ExitCode);
        Assert.Contains(report.Problems, p => p.Contains("SET GLOBAL innodb_max_dirty_pages_pct = 75;", StringComparison.Ordinal));
        Assert.Single(_store.Created);
        Assert.True(_service.Up);
        Assert.Equal(FlushLimits.FlushEverything, _innoDb.Limits);
        Assert.Equal(Originals, _journal.Read()!.Changed!.FlushLimits);

        _innoDb.SetFails = null;
        var outcome = await Recover();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(Originals, _innoDb.Limits);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task Recovery_after_a_kill_puts_back_the_limits_of_a_server_that_kept_running()
    {
        var changedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        _innoDb.Limits = FlushLimits.FlushEverything;
        _journal.Write(new JournalEntry("dead-run", 999999, RunPhase.PreFlushing, changedAt, TestSettings.VolumeId, [""], null, null, changedAt)
        {
            Changed = new ChangedSettings(Originals, changedAt),
        });

        var outcome = await Recover();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(Originals, _innoDb.Limits);
        Assert.Contains("as before", outcome.Summary);
        Assert.Empty(_service.Calls);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task Recovery_after_a_restart_finds_the_limits_back_and_sets_nothing()
    {
        var changedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        _innoDb.Uptime = TimeSpan.FromSeconds(30);
        _journal.Write(new JournalEntry("dead-run", 999999, RunPhase.StoppingMySql, changedAt, TestSettings.VolumeId, [""], changedAt, null, changedAt)
        {
            Changed = new ChangedSettings(Originals, changedAt),
        });

        var outcome = await Recover();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.DoesNotContain(_innoDb.Calls, c => c.StartsWith("set", StringComparison.Ordinal));
    }

    [Fact]
    public void A_journal_of_an_older_version_reads_without_changed_settings()
    {
        File.WriteAllText(_journal.Path, """
            {"run_id":"r","pid":1,"phase":"creating_snapshot","started_at":"2026-11-28T02:00:00+00:00","volume_id":"vol-0123456789abcdef0",
             "channels_to_restart":[""],"my_sql_stopped_at":null,"snapshot_id":null,"updated_at":"2026-11-28T02:00:00+00:00"}
            """);

        var entry = _journal.Read();

        Assert.NotNull(entry);
        Assert.Null(entry.Changed);
        Assert.Equal(RunPhase.CreatingSnapshot, entry.Phase);
    }

    private Task<RecoveryOutcome> Recover()
    {
        var clock = new SelfAdvancingTimeProvider(DateTimeOffset.UtcNow);
        var recovery = new RunRecovery(_settings, _journal, _service, new ReplicationStep(_replica, clock), _store, clock, new PreFlushUndo(_innoDb, clock));
        return recovery.RecoverAsync(_journal.Read()!, CancellationToken.None);
    }

    private Task<RunReport> ExecutePrepared(IInnoDbServer? innoDb = null, CancellationToken token = default)
    {
        innoDb ??= _innoDb;
        var clock = new SelfAdvancingTimeProvider(DateTimeOffset.UtcNow);
        var beforeStop = new StopPreparation(new PreFlush(_settings.Service, innoDb, clock), new CleanShutdown(innoDb), new PreFlushUndo(_innoDb, clock));
        return CreateRun(clock, beforeStop: beforeStop).ExecuteAsync(() => ExitCodes.Terminated, token);
    }

    /// <summary>The fake, with something happening at the pre-flush's first dirty-page read (after the limits were lowered).</summary>
    private sealed class PreFlushThen(FakeInnoDbServer inner, Action during) : IInnoDbServer
    {
        private bool _done;

        public Task<InnoDbState> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public Task<DirtyPages> ReadDirtyPagesAsync(CancellationToken cancellationToken)
        {
            if (!_done)
            {
                _done = true;
                during();
            }

            return inner.ReadDirtyPagesAsync(cancellationToken);
        }

        public Task SetLimitsAsync(FlushLimits limits, CancellationToken cancellationToken) => inner.SetLimitsAsync(limits, cancellationToken);

        public Task DumpBufferPoolNowAsync(CancellationToken cancellationToken) => inner.DumpBufferPoolNowAsync(cancellationToken);
    }
}
