using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.MySql;

namespace OfflineBackup.Pipeline;

/// <summary>
/// What the guards of one invocation share: settings, adapters, the clock, the run lock once
/// taken, and the single DescribeSnapshots sweep that the pending, age and permission guards
/// read (one paginated sweep per invocation, however many guards look at it).
/// </summary>
public sealed class GuardContext(
    Settings settings,
    IReplicaServer replica,
    ISnapshotStore snapshots,
    TimeProvider clock,
    bool holdLock) : IDisposable
{
    private Task<IReadOnlyList<Snapshot>>? _sweep;

    public Settings Settings { get; } = settings;

    public IReplicaServer Replica { get; } = replica;

    public ISnapshotStore Snapshots { get; } = snapshots;

    public TimeProvider Clock { get; } = clock;

    /// <summary>
    /// True for commands that change things (run, prune): the lock is kept until the invocation
    /// ends. False for check and list, which only look: they must not make the hourly run exit 3.
    /// </summary>
    public bool HoldLock { get; } = holdLock;

    public RunLock? Lock { get; set; }

    public Task<IReadOnlyList<Snapshot>> VolumeSnapshotsAsync(CancellationToken cancellationToken) =>
        _sweep ??= Snapshots.ListVolumeSnapshotsAsync(Settings.Instance.VolumeId, cancellationToken);

    /// <summary>The sweep's snapshots if a guard made it and it succeeded; null otherwise (never sweeps itself).</summary>
    public IReadOnlyList<Snapshot>? SweptSnapshots => _sweep is { IsCompletedSuccessfully: true } sweep ? sweep.Result : null;

    public void Dispose() => Lock?.Dispose();
}
