using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// An online snapshot whose CreateSnapshot was not answered while commits were blocked may have
/// been taken after the block ended: it is kept (it is ours, and a crash-consistent copy) but
/// re-tagged <see cref="ToolTags.MethodInconsistentLate"/> and its position tag removed, so
/// nobody takes it for a copy at the recorded position.
/// </summary>
public static class LateSnapshots
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    // What a late snapshot gets and loses.
    private static readonly IReadOnlyDictionary<string, string> LateTag = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ToolTags.Method] = ToolTags.MethodInconsistentLate,
    };

    private static readonly IReadOnlyList<string> DroppedTags = [ToolTags.ReplicaPosition];

    /// <summary>Looks for the run's snapshot a few times (EC2 carries out a request it received); re-tags it when found.</summary>
    public static async Task<Snapshot?> FindAndMarkAsync(ISnapshotStore store, string volumeId, string runId, TimeProvider clock)
    {
        if (await LostSnapshotLookup.FindAsync(store, volumeId, runId, clock, "the release") is not { } found)
        {
            return null;
        }

        using var limit = new CancellationTokenSource(LostSnapshotLookup.Limit, clock);
        try
        {
            await MarkAsync(store, found, limit.Token);
        }
        catch (Exception e) when (e is BackupException or OperationCanceledException)
        {
            Log.WithProperty("step", "snapshot").Info("tagging {snapshot} as late failed: {error}", found.Id, e.Message);
            return null;
        }

        return found;
    }

    public static async Task MarkAsync(ISnapshotStore store, Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshot);
        Log.WithProperty("step", "snapshot").WithProperty("snapshot", snapshot.Id)
            .Warn("{snapshot} landed after the block was released: tagging it {value}", snapshot.Id, ToolTags.MethodInconsistentLate);
        // The method first: a position tag left behind by a failure between the two calls sits on
        // a snapshot already marked late, which says not to trust it.
        await store.TagSnapshotAsync(snapshot.Id, LateTag, cancellationToken);
        await store.UntagSnapshotAsync(snapshot, DroppedTags, cancellationToken);
    }

    /// <summary>
    /// Asks EC2 (DryRun) whether the two calls of <see cref="MarkAsync"/> would be allowed on one
    /// of our snapshots, so that a policy without them is found before a run blocks commits, not
    /// when a late snapshot needs them.
    /// </summary>
    public static async Task<IReadOnlyList<PermissionProbe>> ProbeAsync(ISnapshotStore store, string snapshotId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return
        [
            await store.ProbeTagSnapshotAsync(snapshotId, LateTag, cancellationToken),
            await store.ProbeUntagSnapshotAsync(snapshotId, DroppedTags, cancellationToken),
        ];
    }
}
