namespace OfflineBackup.Tests.Support;

/// <summary>A hand-written in-memory snapshot store for pipeline unit tests (the adapter itself is tested against the EC2 double).</summary>
internal sealed class FakeSnapshotStore : ISnapshotStore
{
    public List<Snapshot> Snapshots { get; } = [];

    public HashSet<string> DeniedActions { get; } = [];

    public int ListCalls { get; private set; }

    public List<NewSnapshot> Created { get; } = [];

    public List<string> Deleted { get; } = [];

    /// <summary>Failures CreateSnapshot throws, one per call, before it succeeds.</summary>
    public Queue<Exception> CreateFailures { get; } = new();

    /// <summary>When set, a failing CreateSnapshot still makes the snapshot (the ambiguous case).</summary>
    public bool FailuresStillCreate { get; set; }

    /// <summary>State a new snapshot reports on the first FindSnapshot after creation.</summary>
    public SnapshotState CompletesAs { get; set; } = SnapshotState.Completed;

    /// <summary>Runs at every sweep, before it answers: a test looks at the world mid-run.</summary>
    public Action? BeforeList { get; set; }

    public Task<IReadOnlyList<Snapshot>> ListVolumeSnapshotsAsync(string volumeId, CancellationToken cancellationToken)
    {
        BeforeList?.Invoke();
        ListCalls++;
        return Task.FromResult<IReadOnlyList<Snapshot>>(Snapshots.Where(s => s.VolumeId == volumeId).ToList());
    }

    /// <summary>When set, every run-id lookup throws this (EC2 unreachable for reads too).</summary>
    public Exception? FindFailure { get; set; }

    public int FindByRunIdCalls { get; private set; }

    /// <summary>How many run-id lookups still miss a snapshot that exists, as EC2's listing may lag its creation.</summary>
    public int FindMisses { get; set; }

    /// <summary>Which failures carried out the request before failing; unset, <see cref="FailuresStillCreate"/> says for all.</summary>
    public Func<Exception, bool>? FailureCreates { get; set; }

    public Task<Snapshot?> FindByRunIdAsync(string volumeId, string runId, CancellationToken cancellationToken)
    {
        FindByRunIdCalls++;
        if (FindFailure is null && FindMisses > 0)
        {
            FindMisses--;
            return Task.FromResult<Snapshot?>(null);
        }

        return FindFailure is { } failure
            ? Task.FromException<Snapshot?>(failure)
            : Task.FromResult(Snapshots.FirstOrDefault(s => s.VolumeId == volumeId && s.Tag(ToolTags.RunId) == runId));
    }

    /// <summary>CreateSnapshot is never answered: it waits until its token is cancelled.</summary>
    public bool CreateNeverAnswers { get; set; }

    /// <summary>Completed when CreateSnapshot is first called: a gate for tests that act while it waits.</summary>
    public TaskCompletionSource CreateCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<Snapshot> CreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CreateCalled.TrySetResult();
        if (CreateNeverAnswers)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (CreateFailures.TryDequeue(out var failure))
        {
            if (FailureCreates?.Invoke(failure) ?? FailuresStillCreate)
            {
                Make(request);
            }

            throw failure;
        }

        return Make(request);
    }

    public Task<Snapshot?> FindSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        var index = Snapshots.FindIndex(s => s.Id == snapshotId);
        if (index < 0)
        {
            return Task.FromResult<Snapshot?>(null);
        }

        if (Snapshots[index].State == SnapshotState.Pending && CompletesAs != SnapshotState.Pending)
        {
            Snapshots[index] = Snapshots[index] with { State = CompletesAs, Progress = CompletesAs == SnapshotState.Completed ? "100%" : "12%" };
        }

        return Task.FromResult<Snapshot?>(Snapshots[index]);
    }

    private Snapshot Make(NewSnapshot request)
    {
        Created.Add(request);
        var snapshot = new Snapshot($"snap-{Created.Count:x17}", request.VolumeId, SnapshotState.Pending, "0%", DateTimeOffset.UtcNow, 100, request.Description, request.Tags);
        Snapshots.Add(snapshot);
        return snapshot;
    }

    public Task<DeleteResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        Deleted.Add(snapshotId);
        Snapshots.RemoveAll(s => s.Id == snapshotId);
        return Task.FromResult(new DeleteResult(snapshotId, DeleteOutcome.Deleted, "deleted"));
    }

    public Task<PermissionProbe> ProbeCreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken) =>
        Task.FromResult(Probe("ec2:CreateSnapshot"));

    public Task<PermissionProbe> ProbeDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        Task.FromResult(Probe("ec2:DeleteSnapshot"));

    /// <summary>Snapshot Locks DescribeLockedSnapshots reports, by snapshot id.</summary>
    public Dictionary<string, SnapshotLock> Locks { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, SnapshotLock>> ListLockedSnapshotsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, SnapshotLock>>(new Dictionary<string, SnapshotLock>(Locks, StringComparer.Ordinal));

    public Task TagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var index = Snapshots.FindIndex(s => s.Id == snapshotId);
        var merged = new Dictionary<string, string>(Snapshots[index].Tags, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        Snapshots[index] = Snapshots[index] with { Tags = merged };
        return Task.CompletedTask;
    }

    public Task UntagSnapshotAsync(Snapshot snapshot, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var index = Snapshots.FindIndex(s => s.Id == snapshot.Id);
        Snapshots[index] = Snapshots[index] with
        {
            Tags = Snapshots[index].Tags.Where(t => !keys.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        };
        return Task.CompletedTask;
    }

    public Task<PermissionProbe> ProbeDescribeLockedSnapshotsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Probe("ec2:DescribeLockedSnapshots"));

    public Task<PermissionProbe> ProbeTagSnapshotAsync(string snapshotId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        Task.FromResult(Probe("ec2:CreateTags"));

    public Task<PermissionProbe> ProbeUntagSnapshotAsync(string snapshotId, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        Task.FromResult(Probe("ec2:DeleteTags"));

    private PermissionProbe Probe(string action) => DeniedActions.Contains(action)
        ? new PermissionProbe(action, ProbeOutcome.Denied, "UnauthorizedOperation")
        : new PermissionProbe(action, ProbeOutcome.Allowed, "DryRunOperation");
}
