using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Pipeline;

namespace OfflineBackup.Tests.Unit.Online;

/// <summary>
/// The online sequence with fakes: the order of its steps, and that every way out (a refused
/// lock, a failed CreateSnapshot, a signal, a bug) thaws, releases and restarts replication.
/// </summary>
public sealed class OnlineBackupRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _events = [];
    private readonly FakeReplicaServer _replica = new();
    private readonly FakeSnapshotStore _store = new();
    private readonly FakeOnlineReplica _online;
    private readonly FakeFreezer _freezer;
    private readonly Settings _settings;
    private readonly RunJournal _journal;

    public OnlineBackupRunTests()
    {
        _settings = TestSettings.Create(_dir.Path) with { Consistency = new ConsistencySettings(ConsistencyMode.Online, true, TimeSpan.FromSeconds(30)) };
        _journal = new RunJournal(_settings.State.JournalPath);
        _online = new FakeOnlineReplica(_dir.Path, _events);
        _freezer = new FakeFreezer(_events);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_good_run_blocks_records_freezes_snapshots_and_undoes_it_in_reverse()
    {
        var report = await Execute();

        Assert.Equal(ExitCodes.Success, report.ExitCode);
        Assert.Equal(["prepare", "sync", "block", "position", "sync", "freeze", "create", "thaw", "release", "close", "watchdog-gone"], _events);
        Assert.Equal(["stop-replication", "start-replication:"], _replica.Calls);
        var created = Assert.Single(_store.Created);
        Assert.Equal(ToolTags.MethodOnlineFrozen, created.Tags[ToolTags.Method]);
        Assert.Equal("gtid:0-1-42", created.Tags[ToolTags.ReplicaPosition]);
        Assert.StartsWith("gtid:0-1-42\nrun_id=run-1\n", File.ReadAllText(PositionFile.PathIn(_dir.Path)), StringComparison.Ordinal);
        Assert.Contains("online: MySQL kept running", report.Summary, StringComparison.Ordinal);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task The_watchdog_is_started_and_journaled_before_the_block_so_nothing_slow_happens_under_it()
    {
        JournalEntry? atFreeze = null;
        _freezer.WhenFrozen = () => atFreeze = _journal.Read();
        var before = DateTimeOffset.UtcNow;

        await Execute();

        Assert.Equal(0, _events.IndexOf("prepare"));
        Assert.NotNull(atFreeze);
        Assert.Equal(RunPhase.BlockingCommits, atFreeze.Phase);
        Assert.True(atFreeze.CommitsBlocked);
        var freeze = Assert.IsType<FreezeJournal>(atFreeze.Freeze);
        Assert.Equal(("/data", 4242, 17L), (freeze.MountPoint, freeze.WatchdogPid, freeze.WatchdogStartTicks));

        // The latest thaw the run can promise: the lock's wait and the block, each max_block, and a second.
        Assert.InRange(freeze.Deadline, before + (2 * _settings.Consistency.MaxBlock), DateTimeOffset.UtcNow + (2 * _settings.Consistency.MaxBlock) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_position_too_long_for_a_tag_lives_only_in_the_file()
    {
        _online.Position = "gtid:" + string.Join(",", Enumerable.Range(1, 40).Select(d => $"{d}-1-123456"));

        await Execute();

        Assert.DoesNotContain(ToolTags.ReplicaPosition, Assert.Single(_store.Created).Tags.Keys);
        Assert.StartsWith(_online.Position + "\n", File.ReadAllText(PositionFile.PathIn(_dir.Path)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_not_granted_takes_no_snapshot_and_restarts_replication()
    {
        _online.BlockFailure = new BackupException(ExitCodes.StopTimedOut, "BACKUP STAGE BLOCK_COMMIT was not granted: held up by connection 4");

        var report = await Execute();

        Assert.Equal(ExitCodes.StopTimedOut, report.ExitCode);
        Assert.Equal(["prepare", "sync", "block", "watchdog-ended"], _events);
        Assert.Empty(_store.Created);
        Assert.Equal(["stop-replication", "start-replication:"], _replica.Calls);
        Assert.Contains("held up by connection 4", report.Problems[0], StringComparison.Ordinal);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task A_failed_create_snapshot_thaws_releases_and_restarts_replication()
    {
        _store.CreateFailures.Enqueue(new Ec2OperationException(
            ExitCodes.SnapshotFailed, "CreateSnapshot", "InvalidVolume.NotFound", System.Net.HttpStatusCode.BadRequest, "ec2:CreateSnapshot failed", new InvalidOperationException("InvalidVolume.NotFound")));

        var report = await Execute();

        Assert.Equal(ExitCodes.SnapshotFailed, report.ExitCode);
        Assert.Equal(["prepare", "sync", "block", "position", "sync", "freeze", "thaw", "release", "close", "watchdog-gone"], _events);
        Assert.Equal(["stop-replication", "start-replication:"], _replica.Calls);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task A_signal_while_frozen_thaws_releases_and_restarts_replication_then_exits_143()
    {
        using var signal = new CancellationTokenSource();
        _freezer.WhenFrozen = signal.Cancel;

        var report = await Execute(signal.Token);

        Assert.Equal(ExitCodes.Terminated, report.ExitCode);
        Assert.Empty(_store.Created);
        Assert.Equal(["prepare", "sync", "block", "position", "sync", "freeze", "thaw", "release", "close", "watchdog-gone"], _events);
        Assert.Equal(["stop-replication", "start-replication:"], _replica.Calls);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task A_bug_in_the_freeze_still_releases_and_restarts_replication_before_it_surfaces()
    {
        _freezer.FreezeFailure = new InvalidOperationException("a bug");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Execute());

        Assert.Equal(["prepare", "sync", "block", "position", "sync", "release", "close", "watchdog-ended"], _events);
        Assert.Equal(["stop-replication", "start-replication:"], _replica.Calls);
        Assert.Null(_journal.Read());
    }

    [Fact]
    public async Task The_next_run_thaws_a_freeze_a_killed_run_left_and_restarts_replication()
    {
        await _replica.StopReplicationAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var freeze = new FreezeJournal("/data", 4242, 17, now.AddSeconds(30));
        var entry = new JournalEntry("run-0", int.MaxValue - 1, RunPhase.CreatingSnapshot, now, TestSettings.VolumeId, [""], null, null, now)
        {
            Online = true,
            CommitsBlocked = true,
            Freeze = freeze,
        };
        _journal.Write(entry);
        Assert.Equal(entry.Freeze, _journal.Read()!.Freeze);
        Assert.False(entry.MySqlMayBeDown);
        var service = new FakeMySqlService();
        var clock = new SelfAdvancingTimeProvider(now);

        var outcome = await new RunRecovery(_settings, _journal, service, new ReplicationStep(_replica, clock), _store, clock, freezer: _freezer)
            .RecoverAsync(_journal.Read()!, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal([freeze], _freezer.Leftovers);
        Assert.Empty(service.Calls);
        Assert.Contains("thawed /data", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("its backup lock ended with its session", outcome.Summary, StringComparison.Ordinal);
        Assert.All(_replica.State.Channels, c => Assert.True(c.IoRunning && c.SqlRunning));

        // Its CreateSnapshot may still land: held off, the journal kept without the freeze.
        Assert.NotNull(outcome.HoldOffUntil);
        var left = _journal.Read()!;
        Assert.Equal(RunPhase.SnapshotInFlight, left.Phase);
        Assert.Null(left.Freeze);
        Assert.False(left.CommitsBlocked);
    }

    private Task<RunReport> Execute(CancellationToken token = default)
    {
        var clock = new SelfAdvancingTimeProvider(DateTimeOffset.UtcNow);
        var store = new RecordingStore(_store, _events);
        var run = new OnlineBackupRun(
            _settings, new ReplicationStep(_replica, clock), _online, _freezer,
            new SnapshotCreator(store, clock, [TimeSpan.FromMilliseconds(5)]), _journal, clock, "run-1", "db1", _ => _events.Add("sync"));
        return run.ExecuteAsync(() => ExitCodes.Terminated, token);
    }

    /// <summary>The fake store, noting each CreateSnapshot that went through in the shared events.</summary>
    private sealed class RecordingStore(FakeSnapshotStore inner, List<string> events) : ISnapshotStore
    {
        public async Task<Snapshot> CreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken)
        {
            var made = await inner.CreateSnapshotAsync(request, cancellationToken);
            events.Add("create");
            return made;
        }

        public Task<IReadOnlyList<Snapshot>> ListVolumeSnapshotsAsync(string volumeId, CancellationToken cancellationToken) => inner.ListVolumeSnapshotsAsync(volumeId, cancellationToken);

        public Task<Snapshot?> FindSnapshotAsync(string snapshotId, CancellationToken cancellationToken) => inner.FindSnapshotAsync(snapshotId, cancellationToken);

        public Task<Snapshot?> FindByRunIdAsync(string volumeId, string runId, CancellationToken cancellationToken) => inner.FindByRunIdAsync(volumeId, runId, cancellationToken);

        public Task<DeleteResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) => inner.DeleteSnapshotAsync(snapshotId, cancellationToken);

        public Task<PermissionProbe> ProbeCreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken) => inner.ProbeCreateSnapshotAsync(request, cancellationToken);

        public Task<PermissionProbe> ProbeDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) => inner.ProbeDeleteSnapshotAsync(snapshotId, cancellationToken);

        public Task<IReadOnlyDictionary<string, SnapshotLock>> ListLockedSnapshotsAsync(CancellationToken cancellationToken) => inner.ListLockedSnapshotsAsync(cancellationToken);

        public Task<PermissionProbe> ProbeDescribeLockedSnapshotsAsync(CancellationToken cancellationToken) => inner.ProbeDescribeLockedSnapshotsAsync(cancellationToken);

        public Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) => inner.TagSnapshotAsync(snapshotId, tags, cancellationToken);

        public Task UntagSnapshotAsync(Snapshot snapshot, IReadOnlyList<string> keys, CancellationToken cancellationToken) => inner.UntagSnapshotAsync(snapshot, keys, cancellationToken);

        public Task<PermissionProbe> ProbeTagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) => inner.ProbeTagSnapshotAsync(snapshotId, tags, cancellationToken);

        public Task<PermissionProbe> ProbeUntagSnapshotAsync(string snapshotId, IReadOnlyList<string> keys, CancellationToken cancellationToken) => inner.ProbeUntagSnapshotAsync(snapshotId, keys, cancellationToken);
    }
}
