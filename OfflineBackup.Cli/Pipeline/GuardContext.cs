using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.MySql;
using OfflineBackup.Retention;

namespace OfflineBackup.Pipeline;

/// <summary>
/// What the guards of one invocation share, each read at most once however many guards look at
/// it: the journal, one inspection of the replica (one MySQL connection), and one paginated
/// DescribeSnapshots sweep for the pending, age and permission guards.
/// </summary>
public sealed class GuardContext(
    Settings settings,
    IReplicaServer replica,
    ISnapshotStore snapshots,
    RunJournal journal,
    RetentionPolicy policy,
    TimeProvider clock,
    IInnoDbServer innoDb)
{
    private Task<InnoDbState>? _innoDb;
    private Task<IReadOnlyList<Snapshot>>? _sweep;
    private Task<ReplicaInspection>? _inspection;
    private Lazy<JournalEntry?> _journalEntry = new(journal.Read);

    public Settings Settings { get; } = settings;

    public ISnapshotStore Snapshots { get; } = snapshots;

    public RetentionPolicy Policy { get; } = policy;

    public TimeProvider Clock { get; } = clock;

    /// <summary>The interrupted run's journal entry, or null; read once.</summary>
    public JournalEntry? JournalEntry => _journalEntry.Value;

    /// <summary>After a recovery changed the journal: the entry as it now is.</summary>
    public void JournalIs(JournalEntry? entry) => _journalEntry = new(entry);

    public Task<ReplicaInspection> ReplicaAsync(CancellationToken cancellationToken) =>
        _inspection ??= replica.InspectAsync(cancellationToken);

    public Task<InnoDbState> InnoDbAsync(CancellationToken cancellationToken) =>
        _innoDb ??= innoDb.ReadAsync(cancellationToken);

    /// <summary>Told the sweep's snapshots once it succeeded (the metrics file's inventory).</summary>
    public Action<IReadOnlyList<Snapshot>>? SweepObserver { get; init; }

    public Task<IReadOnlyList<Snapshot>> VolumeSnapshotsAsync(CancellationToken cancellationToken) =>
        _sweep ??= SweepAsync(cancellationToken);

    private async Task<IReadOnlyList<Snapshot>> SweepAsync(CancellationToken cancellationToken)
    {
        var snapshots = await Snapshots.ListVolumeSnapshotsAsync(Settings.Instance.VolumeId, cancellationToken);
        SweepObserver?.Invoke(snapshots);
        return snapshots;
    }
}
