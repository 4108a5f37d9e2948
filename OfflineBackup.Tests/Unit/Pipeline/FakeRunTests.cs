using Microsoft.Extensions.Time.Testing;

namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>
/// The run against fakes, shared by the tests of its steps and of its failures: the tests'
/// settings in a fresh directory, their journal, the fake replica, store and service, and the
/// one way both build a <see cref="BackupRun"/> or the guards.
/// </summary>
public abstract class FakeRunTests : IDisposable
{
    private protected readonly TempDirectory _dir = new();
    private protected readonly FakeReplicaServer _replica = new();
    private protected readonly FakeSnapshotStore _store = new();
    private protected readonly FakeMySqlService _service = new();
    private protected readonly Settings _settings;
    private protected readonly RunJournal _journal;

    protected FakeRunTests()
    {
        _settings = TestSettings.Create(_dir.Path);
        _journal = new RunJournal(_settings.State.JournalPath);
    }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected Task<RunReport> Execute(Settings? settings = null, CancellationToken token = default, TimeSpan? replicationRestoreTimeout = null)
    {
        settings ??= _settings;

        // Backoffs, polls and the wait and restore timeouts pass in fake time, not real time.
        return CreateRun(new SelfAdvancingTimeProvider(DateTimeOffset.UtcNow), settings, replicationRestoreTimeout)
            .ExecuteAsync(() => ExitCodes.Terminated, token);
    }

    /// <summary>
    /// <see cref="Execute"/>, with the exit code checked first: when it is not
    /// <paramref name="exitCode"/>, the failure shows the report's summary and problems.
    /// </summary>
    private protected async Task<RunReport> ExecuteExpecting(int exitCode, Settings? settings = null, CancellationToken token = default, TimeSpan? replicationRestoreTimeout = null)
    {
        var report = await Execute(settings, token, replicationRestoreTimeout);
        Assert.True(report.ExitCode == exitCode, $"exit {report.ExitCode}, expected {exitCode}: {report.Summary} {string.Join(" ", report.Problems)}");
        return report;
    }

    /// <summary>
    /// The run over these fakes on <paramref name="clock"/>, for a test that moves time itself or
    /// adds the optional steps: the preparation before the stop, the data directory's sync.
    /// </summary>
    private protected BackupRun CreateRun(
        TimeProvider clock,
        Settings? settings = null,
        TimeSpan? replicationRestoreTimeout = null,
        StopPreparation? beforeStop = null,
        DataDirectorySync? dataSync = null)
    {
        settings ??= _settings;
        return new BackupRun(
            settings,
            new ReplicationStep(_replica, clock),
            _service,
            new SnapshotCreator(_store, clock, [TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5)]),
            new SnapshotWaiter(_store, clock, settings.Service.SnapshotPollInterval, settings.Service.SnapshotWaitTimeout),
            _journal,
            clock,
            "run-1",
            "db1",
            replicationRestoreTimeout,
            beforeStop) { DataSync = dataSync };
    }

    /// <summary>The clean end of a run: MySQL up, and no journal left for a next run to recover.</summary>
    private protected void AssertLeftClean()
    {
        Assert.True(_service.Up);
        Assert.Null(_journal.Read());
    }

    /// <summary>The standard guards over these fakes and this journal, at <paramref name="now"/>.</summary>
    private protected Task<IReadOnlyList<GuardResult>> EvaluateGuards(DateTimeOffset now) =>
        GuardPipeline.Standard("db1").EvaluateAllAsync(
            new GuardContext(_settings, _replica, _store, _journal, RetentionPolicy.From(_settings), new FakeTimeProvider(now), new FakeInnoDbServer()),
            CancellationToken.None);
}
