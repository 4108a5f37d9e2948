using Microsoft.Extensions.Time.Testing;
using OfflineBackup.Pipeline.Guards;

namespace OfflineBackup.Tests.Unit.Pipeline;

public sealed class GuardPipelineTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeReplicaServer _replica = new();
    private readonly FakeInnoDbServer _innoDb = new();
    private readonly FakeSnapshotStore _store = new();
    private readonly GuardPipeline _pipeline = GuardPipeline.Standard("db-replica-1");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task All_guards_pass_when_a_backup_is_due()
    {
        AddOwnSnapshot("snap-old", SnapshotState.Completed, Now.AddHours(-25));

        var results = await EvaluateAll();

        Assert.Equal(["lock", "journal", "journal-write", "replica", "privileges", "pending", "age", "shutdown", "aws-permissions"], results.Select(r => r.Guard));
        Assert.All(results, r => Assert.True(r.Passed, r.Detail));
        Assert.Equal(ExitCodes.Success, GuardPipeline.ExitCodeOf(results));
        Assert.Contains("snap-old", results.Of("age").Detail);
        Assert.Equal(1, _store.ListCalls);
    }

    [Fact]
    public async Task A_crash_like_shutdown_setting_is_refused_with_its_fix_and_check_goes_on()
    {
        AddOwnSnapshot("snap-old", SnapshotState.Completed, Now.AddHours(-25));
        _innoDb.FastShutdown = 2;

        var results = await EvaluateAll();

        var shutdown = results.Refusal("shutdown", ExitCodes.ReplicaUnhealthy);
        Assert.False(shutdown.Passed);
        Assert.Contains("crash recovery", shutdown.Detail);
        Assert.Contains("SET GLOBAL innodb_fast_shutdown = 1", shutdown.Detail);
        Assert.Equal("aws-permissions", results[^1].Guard);
    }

    [Fact]
    public async Task A_held_lock_refuses_with_the_holder_and_check_goes_on()
    {
        var settings = TestSettings.Create(_dir.Path);
        using var holder = RunLock.TryAcquire(settings.Instance.LockFilename, Now, out _);
        Assert.NotNull(holder);

        var results = await EvaluateAll(settings);

        var lockResult = results[0];
        Assert.False(lockResult.Passed);
        Assert.Equal(ExitCodes.Locked, lockResult.ExitCode);
        Assert.Contains($"PID {Environment.ProcessId}", lockResult.Detail);
        Assert.Equal(9, results.Count);
        Assert.Equal(ExitCodes.Locked, GuardPipeline.ExitCodeOf(results));
    }

    [Fact]
    public async Task Check_only_looks_at_the_lock_and_run_holds_it()
    {
        var settings = TestSettings.Create(_dir.Path);
        await _pipeline.EvaluateAllAsync(Context(settings), CancellationToken.None);
        Assert.Null(RunLock.CurrentHolder(settings.Instance.LockFilename));
        Assert.False(File.Exists(settings.Instance.LockFilename));

        string? heldDuringRun = null;
        _store.BeforeList = () => heldDuringRun = RunLock.CurrentHolder(settings.Instance.LockFilename);
        AddOwnSnapshot("snap-young", SnapshotState.Completed, Now.AddHours(-2));
        var outcome = await PipelineFor(settings).RunAsync(() => ExitCodes.Terminated, CancellationToken.None);

        Assert.Equal(ExitCodes.NotDue, outcome.ExitCode);
        Assert.Contains($"PID {Environment.ProcessId}", heldDuringRun);
        Assert.Null(RunLock.CurrentHolder(settings.Instance.LockFilename));
    }

    [Fact]
    public async Task An_interrupted_run_journal_refuses_with_the_way_out()
    {
        var settings = TestSettings.Create(_dir.Path);
        new RunJournal(settings.State.JournalPath).Write(new JournalEntry(
            "run-1", 4242, RunPhase.CreatingSnapshot, Now.AddHours(-1), TestSettings.VolumeId, [""], Now.AddHours(-1), null, Now.AddHours(-1)));

        var journal = (await EvaluateAll(settings)).Refusal("journal", ExitCodes.InterruptedRunPending);

        Assert.Contains("offline-backup run", journal.Detail);
        Assert.Contains("MySQL may be stopped", journal.Detail);
    }

    [Fact]
    public async Task An_unreachable_replica_refuses_with_6()
    {
        _replica.Reachable = false;

        var results = await EvaluateAll();

        var replica = results.Refusal("replica", ExitCodes.ReplicaUnhealthy);
        Assert.Contains("cannot connect", replica.Detail);
        Assert.Equal(ExitCodes.ReplicaUnhealthy, GuardPipeline.ExitCodeOf(results));
    }

    [Fact]
    public async Task A_missing_privilege_names_the_grant()
    {
        _replica.Missing.Add(new MissingPrivilege("SLAVE MONITOR", "read replication status", "GRANT SLAVE MONITOR ON *.* TO 'monitor'@'%';"));

        var privileges = (await EvaluateAll()).Refusal("privileges", ExitCodes.PermissionDenied);

        Assert.Contains("GRANT SLAVE MONITOR", privileges.Detail);
    }

    [Fact]
    public async Task A_pending_snapshot_is_named_with_its_progress()
    {
        AddOwnSnapshot("snap-old", SnapshotState.Completed, Now.AddDays(-2));
        _store.Snapshots.Add(new Snapshot("snap-pend", TestSettings.VolumeId, SnapshotState.Pending, "41%", Now.AddMinutes(-20), 100, "manual", new Dictionary<string, string>()));

        var pending = (await EvaluateAll()).Refusal("pending", ExitCodes.SnapshotPending);

        Assert.Contains("snap-pend", pending.Detail);
        Assert.Contains("41%", pending.Detail);
    }

    [Fact]
    public async Task A_young_snapshot_is_not_due_and_error_snapshots_do_not_count()
    {
        AddOwnSnapshot("snap-young", SnapshotState.Completed, Now.AddHours(-20));
        AddOwnSnapshot("snap-broken", SnapshotState.Error, Now.AddHours(-1));

        var age = (await EvaluateAll()).Refusal("age", ExitCodes.NotDue);

        Assert.Contains("snap-young", age.Detail);
        Assert.Contains("20h", age.Detail);
        Assert.Contains(age.Warnings, w => w.Contains("snap-broken"));
    }

    [Fact]
    public async Task A_volume_with_only_an_error_snapshot_is_due()
    {
        AddOwnSnapshot("snap-broken", SnapshotState.Error, Now.AddHours(-1));

        var age = (await EvaluateAll()).Of("age");

        Assert.True(age.Passed);
        Assert.Single(age.Warnings);
    }

    [Fact]
    public async Task Denied_create_snapshot_refuses_with_11()
    {
        _store.DeniedActions.Add("ec2:CreateSnapshot");

        var aws = (await EvaluateAll()).Refusal("aws-permissions", ExitCodes.PermissionDenied);

        Assert.Contains("ec2:CreateSnapshot", aws.Detail);
    }

    [Fact]
    public async Task Delete_is_probed_only_on_a_snapshot_of_ours()
    {
        _store.DeniedActions.Add("ec2:DeleteSnapshot");
        _store.Snapshots.Add(new Snapshot("snap-manual", TestSettings.VolumeId, SnapshotState.Completed, "100%", Now.AddDays(-3), 100, "manual", new Dictionary<string, string>()));

        var aws = (await EvaluateAll()).Of("aws-permissions");
        Assert.True(aws.Passed, aws.Detail);

        AddOwnSnapshot("snap-ours", SnapshotState.Completed, Now.AddDays(-2));
        var store = _store;
        var results = await EvaluateAll();
        results.Refusal("aws-permissions", ExitCodes.PermissionDenied);
        Assert.Equal(2, store.ListCalls);
    }

    [Fact]
    public async Task Reading_snapshot_locks_is_probed_with_the_delete_and_refuses_with_11_when_denied()
    {
        _store.DeniedActions.Add("ec2:DescribeLockedSnapshots");

        var empty = (await EvaluateAll()).Of("aws-permissions");
        AddOwnSnapshot("snap-ours", SnapshotState.Completed, Now.AddDays(-2));
        var denied = (await EvaluateAll()).Of("aws-permissions");
        _store.DeniedActions.Clear();
        var allowed = (await EvaluateAll()).Of("aws-permissions");

        Assert.True(empty.Passed, empty.Detail);
        Assert.Contains("DescribeLockedSnapshots not probed", empty.Detail, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.PermissionDenied, denied.ExitCode);
        Assert.Contains("ec2:DescribeLockedSnapshots denied", denied.Detail, StringComparison.Ordinal);
        Assert.Equal("ec2:CreateSnapshot, ec2:DeleteSnapshot, ec2:DescribeLockedSnapshots allowed", allowed.Detail);
    }

    [Theory]
    [InlineData("ec2:CreateTags")]
    [InlineData("ec2:DeleteTags")]
    public async Task Online_mode_also_probes_the_late_re_tagging_and_refuses_with_11_when_denied(string action)
    {
        var stop = TestSettings.Create(_dir.Path);
        var online = stop with { Consistency = stop.Consistency with { Mode = ConsistencyMode.Online } };
        var guard = new AwsPermissionGuard("db1");

        var empty = await guard.EvaluateAsync(Context(online), CancellationToken.None);
        AddOwnSnapshot("snap-ours", SnapshotState.Completed, Now.AddDays(-2));
        var allowed = await guard.EvaluateAsync(Context(online), CancellationToken.None);
        _store.DeniedActions.Add(action);
        var denied = await guard.EvaluateAsync(Context(online), CancellationToken.None);
        var stopMode = await guard.EvaluateAsync(Context(stop), CancellationToken.None);

        Assert.Contains("CreateTags and DeleteTags not probed", empty.Detail, StringComparison.Ordinal);
        Assert.Equal("ec2:CreateSnapshot, ec2:DeleteSnapshot, ec2:DescribeLockedSnapshots, ec2:CreateTags, ec2:DeleteTags allowed", allowed.Detail);
        Assert.Equal(ExitCodes.PermissionDenied, denied.ExitCode);
        Assert.Contains($"{action} denied", denied.Detail, StringComparison.Ordinal);
        Assert.True(stopMode.Passed, stopMode.Detail);
    }

    [Fact]
    public async Task With_adopt_legacy_delete_is_probed_on_an_adopted_snapshot_too()
    {
        _store.DeniedActions.Add("ec2:DeleteSnapshot");
        var legacyTags = new Dictionary<string, string> { ["role"] = "sql", ["schema"] = "shop", ["Environment"] = "pro" };
        _store.Snapshots.Add(new Snapshot("snap-legacy", TestSettings.VolumeId, SnapshotState.Completed, "100%", Now.AddDays(-3), 100, "old script", legacyTags));
        var settings = TestSettings.Create(_dir.Path);

        var notAdopted = (await EvaluateAll(settings)).Of("aws-permissions");
        var adopted = (await EvaluateAll(settings with { Retention = settings.Retention with { AdoptLegacy = true } })).Of("aws-permissions");

        Assert.True(notAdopted.Passed, notAdopted.Detail);
        Assert.Equal(ExitCodes.PermissionDenied, adopted.ExitCode);
    }

    [Fact]
    public async Task Run_mode_stops_at_the_first_refusal()
    {
        AddOwnSnapshot("snap-young", SnapshotState.Completed, Now.AddHours(-2));
        var context = Context(TestSettings.Create(_dir.Path));

        var results = await _pipeline.EvaluateUntilRefusalAsync(context, _pipeline.Guards, CancellationToken.None);

        Assert.Equal("age", results[^1].Guard);
        Assert.Equal(ExitCodes.NotDue, GuardPipeline.ExitCodeOf(results));
    }

    private async Task<IReadOnlyList<GuardResult>> EvaluateAll(OfflineBackup.Configuration.Settings? settings = null)
    {
        return await _pipeline.EvaluateAllAsync(Context(settings ?? TestSettings.Create(_dir.Path)), CancellationToken.None);
    }

    private GuardContext Context(OfflineBackup.Configuration.Settings settings) => new(
        settings, _replica, _store, new RunJournal(settings.State.JournalPath), RetentionPolicy.From(settings), new FakeTimeProvider(Now), _innoDb);

    private BackupPipeline PipelineFor(OfflineBackup.Configuration.Settings settings) => CompositionRoot.Build(
        settings,
        new CliServices(_ => null, new FakeTimeProvider(Now), new TestAdapters { Replica = _replica, Store = _store, Service = new FakeMySqlService() }, "db-replica-1"),
        "run-1").Backup;

    private void AddOwnSnapshot(string id, SnapshotState state, DateTimeOffset start)
    {
        var settings = TestSettings.Create(_dir.Path);
        var tags = SnapshotRequests.For(settings.Instance, "run-" + id, "db-replica-1", start).Tags;
        _store.Snapshots.Add(new Snapshot(id, TestSettings.VolumeId, state, state == SnapshotState.Completed ? "100%" : "3%", start, 100, "ours", tags));
    }
}
