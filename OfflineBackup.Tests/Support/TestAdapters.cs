using Amazon.Runtime;
using OfflineBackup.Service;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// The production adapters, as the tool builds them, with two test changes: dummy AWS
/// credentials (the SDK's default chain would go looking for instance metadata off-loopback)
/// and a tiny SDK retry backoff. Any adapter can be swapped for a fake.
/// </summary>
internal sealed class TestAdapters : IAdapterFactory
{
    public IReplicaServer? Replica { get; init; }

    public ISnapshotStore? Store { get; init; }

    public IMySqlService? Service { get; init; }

    /// <summary>InnoDB's side; by default the real adapter, or a fake one when the replica is a fake.</summary>
    public IInnoDbServer? InnoDb { get; init; }

    public IReplicaServer CreateReplicaServer(MySqlSettings settings) => Replica ?? new MySqlReplicaServer(settings);

    public ISnapshotStore CreateSnapshotStore(AwsSettings settings) => Store ?? new Ec2SnapshotStore(
        () => Ec2ClientFactory.Create(settings, Tuning),
        settings,
        () => Ec2ClientFactory.Create(settings, Tuning, ownConnection: true));

    private static Ec2ClientTuning Tuning => new(DummyAws.Credentials, TimeSpan.FromMilliseconds(20));

    public IVolumeStore CreateVolumeStore(AwsSettings settings) => new Ec2VolumeStore(
        Ec2ClientFactory.Create(settings, new Ec2ClientTuning(new BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"), TimeSpan.FromMilliseconds(20))));

    public IMySqlService CreateMySqlService(Settings settings, IReplicaServer server, TimeProvider clock) =>
        Service ?? new SystemMySqlService(settings.Service, settings.MySql, server, clock);

    public IInnoDbServer CreateInnoDbServer(MySqlSettings settings) =>
        InnoDb ?? (Replica is null ? new MySqlInnoDbServer(settings) : new FakeInnoDbServer());
}
