using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.MySql;
using OfflineBackup.Retention;

namespace OfflineBackup.Pipeline;

/// <summary>
/// The settings and the outside world of one invocation, built once by the composition root
/// after the settings load: the two adapters, the journal, the clock, this host's name and the
/// retention policy. Each command's guards get a fresh <see cref="GuardContext"/> over them.
/// </summary>
public sealed record PipelineWorld(
    Settings Settings,
    IReplicaServer Replica,
    ISnapshotStore Store,
    RunJournal Journal,
    RetentionPolicy Policy,
    TimeProvider Clock,
    string Host,
    IInnoDbServer InnoDb)
{
    /// <summary>Told every guard sweep's snapshots (the metrics file's inventory); null when nobody listens.</summary>
    public Action<IReadOnlyList<Snapshot>>? SweepObserver { get; init; }

    public GuardContext NewGuardContext() => new(Settings, Replica, Store, Journal, Policy, Clock, InnoDb) { SweepObserver = SweepObserver };
}
