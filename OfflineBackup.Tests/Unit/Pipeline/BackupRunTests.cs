using Microsoft.Extensions.Time.Testing;
using System.Net;

namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>The run's steps with fakes: every path ends with MySQL up and the journal in the right state.</summary>
public sealed class BackupRunTests : FakeRunTests
{
    [Fact]
    public async Task A_good_run_stops_snapshots_and_starts_in_order()
    {
        var report = await ExecuteExpecting(ExitCodes.Success);

        Assert.Equal(["stop", "start"], _service.Calls);
        Assert.Equal(["stop-replication", "start-replication:"], _replica.Calls);
        var created = Assert.Single(_store.Created);
        Assert.Equal("run-1", created.Tags[ToolTags.RunId]);
        Assert.Contains(report.SnapshotId!, report.Summary);
        AssertLeftClean();
    }

    [Fact]
    public async Task Open_temporary_tables_refuse_before_mysql_is_stopped()
    {
        _replica.OpenTempTablesWhenStopped = 2;

        var report = await ExecuteExpecting(ExitCodes.ReplicaUnhealthy);

        Assert.Empty(_service.Calls);
        Assert.Empty(_store.Created);
        Assert.Contains("temporary tables", report.Problems[0]);
        Assert.All(_replica.State.Channels, c => Assert.True(c.IoRunning && c.SqlRunning));
    }

    [Fact]
    public async Task A_stop_that_does_not_finish_takes_no_snapshot_and_starts_mysql()
    {
        _service.StopReaches = false;

        var report = await ExecuteExpecting(ExitCodes.StopTimedOut);

        Assert.Empty(_store.Created);
        Assert.Equal(["stop", "start"], _service.Calls);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task A_snapshot_in_error_starts_mysql_and_exits_8()
    {
        _store.CompletesAs = SnapshotState.Error;

        var report = await ExecuteExpecting(ExitCodes.SnapshotFailed);

        Assert.True(_service.Up);
        Assert.Contains("error", report.Problems[0]);
    }

    [Fact]
    public async Task Restart_after_pending_does_not_wait_for_completion()
    {
        _store.CompletesAs = SnapshotState.Pending;
        var settings = _settings with { Service = _settings.Service with { RestartAfter = RestartAfter.Pending } };

        var report = await ExecuteExpecting(ExitCodes.Success, settings);

        Assert.Contains("pending", report.Summary);
    }

    [Fact]
    public async Task A_wait_that_times_out_starts_mysql_and_says_so()
    {
        _store.CompletesAs = SnapshotState.Pending;
        var settings = _settings with { Service = _settings.Service with { SnapshotWaitTimeout = TimeSpan.FromMilliseconds(200) } };

        var report = await ExecuteExpecting(ExitCodes.SnapshotPending, settings);

        Assert.True(_service.Up);
        Assert.Contains("MySQL was started anyway", report.Problems[0]);
    }

    [Fact]
    public async Task Throttled_create_is_retried_and_makes_one_snapshot()
    {
        _store.CreateFailures.Enqueue(Ec2Failure("SnapshotCreationPerVolumeRateExceeded", HttpStatusCode.BadRequest));
        _store.CreateFailures.Enqueue(Ec2Failure("RequestLimitExceeded", HttpStatusCode.ServiceUnavailable));

        var report = await ExecuteExpecting(ExitCodes.Success);

        Assert.Single(_store.Created);
    }

    [Fact]
    public async Task An_ambiguous_failure_adopts_the_snapshot_the_request_made()
    {
        _store.FailuresStillCreate = true;
        _store.CreateFailures.Enqueue(Ec2Failure("InternalError", HttpStatusCode.InternalServerError));

        var report = await ExecuteExpecting(ExitCodes.Success);

        Assert.Single(_store.Created);
        Assert.Equal(_store.Snapshots.Single().Id, report.SnapshotId);
    }

    [Fact]
    public async Task A_rate_limit_after_a_lost_answer_is_looked_up_again_not_resent()
    {
        // The lost answer's snapshot exists, but the first lookup does not show it yet; the
        // per-volume rate limit on the next attempt is EBS saying one was just made.
        var lost = Ec2Failure("InternalError", HttpStatusCode.InternalServerError);
        _store.FailureCreates = failure => failure == lost;
        _store.FindMisses = 1;
        _store.CreateFailures.Enqueue(lost);
        _store.CreateFailures.Enqueue(Ec2Failure("SnapshotCreationPerVolumeRateExceeded", HttpStatusCode.BadRequest));

        var report = await ExecuteExpecting(ExitCodes.Success);

        Assert.Single(_store.Created);
        Assert.Equal(_store.Snapshots.Single().Id, report.SnapshotId);
        Assert.Equal(2, _store.FindByRunIdCalls);
    }

    [Fact]
    public async Task Max_down_is_counted_on_the_injected_clock_and_starts_mysql_when_create_never_answers()
    {
        _store.CreateNeverAnswers = true;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var running = CreateRun(clock).ExecuteAsync(() => ExitCodes.Terminated, CancellationToken.None);

        // Held in CreateSnapshot (MySQL stopped, the limit armed); from here only the fake
        // clock moves, and the run ends when it passes max_down, not a moment before.
        await _store.CreateCalled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("stop", _service.Calls);
        clock.Advance(_settings.Service.MaxDown - TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.False(running.IsCompleted, "max_down must not fire before its time");

        // The limit, then the look-ups for a snapshot the lost answer may hide, wait on the fake
        // clock too: it is moved a second at a time, with a moment for the run to take each step.
        for (var step = 0; step < 120 && !running.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        var report = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.Ec2Unreachable, report.ExitCode);
        Assert.Contains(report.Problems, p => p.Contains("max_down_seconds", StringComparison.Ordinal));
        Assert.True(_service.Up);
    }

    [Fact]
    public async Task Denied_create_starts_mysql_and_exits_11()
    {
        _store.CreateFailures.Enqueue(new Ec2OperationException(
            ExitCodes.PermissionDenied, "CreateSnapshot", "UnauthorizedOperation", HttpStatusCode.Forbidden, "ec2:CreateSnapshot denied", new InvalidOperationException()));

        var report = await ExecuteExpecting(ExitCodes.PermissionDenied);

        Assert.Empty(_store.Created);
        Assert.True(_service.Up);
    }

    [Fact]
    public async Task A_signal_during_the_stop_still_starts_mysql()
    {
        using var signal = new CancellationTokenSource();
        _service.DuringStop = _ =>
        {
            signal.Cancel();
            return Task.CompletedTask;
        };

        var report = await ExecuteExpecting(ExitCodes.Terminated, token: signal.Token);

        Assert.Empty(_store.Created);
        AssertLeftClean();
    }

    [Fact]
    public async Task Mysql_that_will_not_start_is_tried_twice_then_exit_9_and_the_journal_stays()
    {
        _service.StartFailuresLeft = 2;

        var report = await ExecuteExpecting(ExitCodes.StartFailed);

        Assert.Equal(["stop", "start", "start"], _service.Calls);
        Assert.Contains("THE DATABASE IS DOWN", report.Problems.Single());
        Assert.Equal(RunPhase.StartingMySql, _journal.Read()!.Phase);
    }

    [Fact]
    public async Task A_second_start_attempt_that_works_is_a_success()
    {
        _service.StartFailuresLeft = 1;

        var report = await ExecuteExpecting(ExitCodes.Success);

        Assert.Equal(["stop", "start", "start"], _service.Calls);
    }

    [Fact]
    public async Task Replication_that_does_not_come_back_exits_6_naming_the_error_with_mysql_up()
    {
        _replica.StartFailsWith = "Could not execute Write_rows_v1 event on table shop.orders; Duplicate entry '42'";

        var report = await ExecuteExpecting(ExitCodes.ReplicaUnhealthy, replicationRestoreTimeout: TimeSpan.FromMilliseconds(300));

        Assert.NotNull(report.SnapshotId);
        Assert.Contains("Duplicate entry '42'", Assert.Single(report.Problems));
        AssertLeftClean();
    }

    [Fact]
    public async Task A_bug_after_the_stop_still_starts_mysql_before_it_surfaces()
    {
        _store.CreateFailures.Enqueue(new InvalidOperationException("a bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Execute());

        AssertLeftClean();
    }

    [Fact]
    public async Task Recovery_starts_mysql_restores_replication_and_adopts_the_snapshot()
    {
        var request = SnapshotRequests.For(_settings.Instance, "dead-run", "db1", DateTimeOffset.UtcNow);
        await _store.CreateSnapshotAsync(request, CancellationToken.None);
        _service.Up = false;
        await _replica.StopReplicationAsync(CancellationToken.None);
        _replica.Calls.Clear();
        _journal.Write(new JournalEntry("dead-run", 999999, RunPhase.CreatingSnapshot, DateTimeOffset.UtcNow, TestSettings.VolumeId, [""], DateTimeOffset.UtcNow, null, DateTimeOffset.UtcNow.AddHours(-1)));

        var clock = new SelfAdvancingTimeProvider(DateTimeOffset.UtcNow);
        var recovery = new RunRecovery(_settings, _journal, _service, new ReplicationStep(_replica, clock), _store, clock);
        var summary = (await recovery.RecoverAsync(_journal.Read()!, CancellationToken.None)).Summary;

        Assert.NotNull(summary);
        Assert.Contains("recovered from interrupted run dead-run", summary);
        Assert.Contains(_store.Snapshots.Single().Id, summary);
        Assert.Equal(["start-replication:"], _replica.Calls);
        Assert.Single(_store.Created);
        AssertLeftClean();
    }

    [Fact]
    public async Task Recovery_holds_off_while_a_killed_create_may_still_land()
    {
        var killedAt = DateTimeOffset.UtcNow.AddMinutes(-2);
        _journal.Write(new JournalEntry("dead-run", 999999, RunPhase.CreatingSnapshot, killedAt, TestSettings.VolumeId, [""], killedAt, null, killedAt));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var recovery = new RunRecovery(_settings, _journal, _service, new ReplicationStep(_replica, clock), _store, clock);

        var first = await recovery.RecoverAsync(_journal.Read()!, CancellationToken.None);

        Assert.Equal(killedAt + RunRecovery.InFlightWindow, first!.HoldOffUntil);
        Assert.Contains("may still land", first.Summary);
        Assert.Equal(RunPhase.SnapshotInFlight, _journal.Read()!.Phase);

        clock.Advance(RunRecovery.InFlightWindow);
        var later = await recovery.RecoverAsync(_journal.Read()!, CancellationToken.None);

        Assert.Null(later!.HoldOffUntil);
        Assert.Null(_journal.Read());
    }

    private static Ec2OperationException Ec2Failure(string code, HttpStatusCode status) =>
        new(ExitCodes.SnapshotFailed, "CreateSnapshot", code, status, $"ec2:CreateSnapshot failed: {code}", new InvalidOperationException(code));
}
