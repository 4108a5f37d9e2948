using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.MySql;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Service;

namespace OfflineBackup.Commands;

/// <summary>Builds the adapters to the two outside worlds from validated settings.</summary>
public interface IAdapterFactory
{
    IReplicaServer CreateReplicaServer(MySqlSettings settings);

    ISnapshotStore CreateSnapshotStore(AwsSettings settings);

    IVolumeStore CreateVolumeStore(AwsSettings settings);

    IMySqlService CreateMySqlService(Settings settings, IReplicaServer server, TimeProvider clock);

    /// <summary>InnoDB's side of the stop (pre-flush, clean shutdown); MySql.Data unless a test says otherwise.</summary>
    IInnoDbServer CreateInnoDbServer(MySqlSettings settings) => new MySqlInnoDbServer(settings);

    /// <summary>Online mode's side of the replica: its layout and the block on commits.</summary>
    IOnlineReplica CreateOnlineReplica(MySqlSettings settings, TimeProvider clock) => new MySqlOnlineReplica(settings, clock);

    /// <summary>consistency.freeze_filesystem's fsfreeze with its watchdog process; null where this build has none.</summary>
    IFilesystemFreezer? CreateFreezer(TimeProvider clock) => new HostFreezer(clock);
}

/// <summary>
/// Everything a command takes from the process: environment, clock, host name and the adapter
/// factory. Production values come from <see cref="Production"/>; tests build their own.
/// </summary>
public sealed record CliServices(
    Func<string, string?> Environment,
    TimeProvider Clock,
    IAdapterFactory Adapters,
    string HostName)
{
    /// <summary>Waits between CreateSnapshot retries; tests shorten them.</summary>
    public IReadOnlyList<TimeSpan> CreateBackoff { get; init; } = SnapshotCreator.DefaultBackoff;

    /// <summary>Waits between DeleteSnapshot retries while EC2 throttles; tests shorten them.</summary>
    public IReadOnlyList<TimeSpan> RetentionBackoff { get; init; } = Pipeline.Steps.RetentionStep.DefaultThrottleBackoff;

    public static CliServices Production() => new(
        global::System.Environment.GetEnvironmentVariable,
        TimeProvider.System,
        new ProductionAdapters(),
        global::System.Environment.MachineName);
}

/// <summary>The real adapters: MySql.Data and AWSSDK.EC2.</summary>
public sealed class ProductionAdapters : IAdapterFactory
{
    public IReplicaServer CreateReplicaServer(MySqlSettings settings) => new MySqlReplicaServer(settings);

    public ISnapshotStore CreateSnapshotStore(AwsSettings settings) => new Ec2SnapshotStore(
        () => Ec2ClientFactory.Create(settings), settings, () => Ec2ClientFactory.CreateForOneCreate(settings));

    public IVolumeStore CreateVolumeStore(AwsSettings settings) => new Ec2VolumeStore(() => Ec2ClientFactory.Create(settings));

    public IMySqlService CreateMySqlService(Settings settings, IReplicaServer server, TimeProvider clock) =>
        new SystemMySqlService(settings.Service, settings.MySql, server, clock);
}
