using Amazon.EC2;
using Amazon.Runtime;

namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>
/// One EC2 double on loopback and the real SDK client pointed at it, built the way the tool
/// builds it (Ec2ClientFactory), with dummy credentials and a tiny retry backoff so retried
/// calls take milliseconds.
/// </summary>
public sealed class Ec2Harness : IAsyncLifetime
{
    public const string Volume = "vol-0a1b2c3d4e5f60718";

    private AmazonEC2Client? _client;
    private Ec2Double? _double;

    public Ec2Double Ec2 => _double ?? throw new InvalidOperationException("harness not started");

    public IAmazonEC2 Client => _client ?? throw new InvalidOperationException("harness not started");

    public Ec2SnapshotStore Store => new(Client);

    public async Task InitializeAsync()
    {
        _double = await Ec2Double.StartAsync();
        _double.AddVolume(Volume, sizeGiB: 500);
        _client = CreateClient(_double, DummyAws.Credentials);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_double is not null)
        {
            await _double.DisposeAsync();
        }
    }

    public static AmazonEC2Client CreateClient(Ec2Double ec2, AWSCredentials credentials) =>
        Ec2ClientFactory.Create(
            new AwsSettings("us-east-1", ec2.ServiceUrl),
            new Ec2ClientTuning(credentials, MaxRetryBackoff: TimeSpan.FromMilliseconds(20)));

    public static NewSnapshot NewSnapshot(string runId, string volume = Volume) => new(
        volume,
        $"offline-backup of {volume}",
        new Dictionary<string, string>
        {
            [ToolTags.CreatedBy] = ToolTags.CreatedByValue,
            [ToolTags.Volume] = volume,
            [ToolTags.RunId] = runId,
            [ToolTags.Method] = ToolTags.MethodValue,
            [ToolTags.Name] = "db-replica-1 backup",
        });
}
