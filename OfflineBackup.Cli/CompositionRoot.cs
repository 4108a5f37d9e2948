using OfflineBackup.Aws;
using OfflineBackup.Commands;
using OfflineBackup.Copies;
using OfflineBackup.Configuration;
using OfflineBackup.Pipeline;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Restore;
using OfflineBackup.Retention;

namespace OfflineBackup;

/// <summary>The pipelines of one invocation, wired: what the commands are given.</summary>
public sealed record Wiring(Settings Settings, BackupPipeline Backup, InventoryPipeline Inventory)
{
    public RestoreService Restore { get; init; } = null!;

    public Drill.DrillRunner Drill { get; init; } = null!;
}

/// <summary>
/// Where everything is built, once, as soon as the settings are loaded: the adapters to MySQL
/// and EC2, the service control, the journal, the retention policy, the steps and the two
/// pipelines. Plain constructors, no container; the process's own parts (environment, clock,
/// host name, adapter factory) come from <see cref="CliServices"/>, which tests replace.
/// </summary>
public static class CompositionRoot
{
    /// <param name="sweepObserver">Told each guard sweep's snapshots, for the metrics file.</param>
    public static Wiring Build(Settings settings, CliServices services, string runId, Action<IReadOnlyList<Aws.Snapshot>>? sweepObserver = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(services);
        var clock = services.Clock;
        var replica = services.Adapters.CreateReplicaServer(settings.MySql);
        var store = services.Adapters.CreateSnapshotStore(settings.Aws);
        var service = services.Adapters.CreateMySqlService(settings, replica, clock);
        var journal = new RunJournal(settings.State.JournalPath);
        var policy = RetentionPolicy.From(settings);
        var innoDb = services.Adapters.CreateInnoDbServer(settings.MySql);
        var world = new PipelineWorld(settings, replica, store, journal, policy, clock, services.HostName, innoDb) { SweepObserver = sweepObserver };
        var undo = new PreFlushUndo(innoDb, clock);

        var replication = new ReplicationStep(replica, clock);
        var retention = new RetentionStep(store, policy, clock, services.RetentionBackoff);
        var creator = new SnapshotCreator(store, clock, services.CreateBackoff);
        var online = services.Adapters.CreateOnlineReplica(settings.MySql, clock);
        var freezer = services.Adapters.CreateFreezer(clock);
        IBackupRun backup = settings.Consistency.IsOnline
            ? new OnlineBackupRun(settings, replication, online, freezer, creator, journal, clock, runId, services.HostName, Platform.BlockDevices.SyncFilesystem)
            : new BackupRun(
                settings,
                replication,
                service,
                creator,
                new SnapshotWaiter(store, clock, settings.Service.SnapshotPollInterval, settings.Service.SnapshotWaitTimeout),
                journal,
                clock,
                runId,
                services.HostName,
                beforeStop: new StopPreparation(new PreFlush(settings.Service, innoDb, clock), new CleanShutdown(innoDb), undo))
                {
                    DataSync = new DataDirectorySync(replica),
                };
        var preflight = settings.Consistency.IsOnline ? new Pipeline.Guards.OnlinePreflightGuard(online, freezer, HostDevices.Linux) : null;

        // Recovery thaws a freeze whatever the mode is now: the config may have changed since.
        var recovery = new RunRecovery(settings, journal, service, replication, store, clock, undo, freezer);

        // The copy region has its own client, signed for that region.
        var copies = settings.Copy is { } copy
            ? new CopyStep(store, services.Adapters.CreateSnapshotStore(settings.Aws with { Region = copy.Region, EndpointUrl = copy.EndpointUrl }) as ISnapshotCopier
                ?? throw new InvalidOperationException("the snapshot store for the copy region cannot copy"), clock, services.RetentionBackoff)
            : null;
        var volumes = services.Adapters.CreateVolumeStore(settings.Aws);
        var restorer = new VolumeRestorer(
            volumes,
            new VolumeWaiter(volumes, clock, settings.Drill.PollInterval),
            new DeviceLocator(settings.Placement.DeviceDirectory, clock, TimeSpan.FromMilliseconds(200)));
        var choice = new SnapshotChoice(store, policy);
        var drill = new Drill.DrillRunner(settings, choice, volumes, restorer, clock, runId, services.HostName);
        return new Wiring(settings, new BackupPipeline(world, recovery, backup, retention, copies, drill, preflight), new InventoryPipeline(world, retention, copies))
        {
            Restore = new RestoreService(settings, choice, volumes, restorer, runId, services.HostName),
            Drill = drill,
        };
    }
}
