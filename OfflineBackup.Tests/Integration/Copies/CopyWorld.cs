using Amazon.EC2;
using Amazon.Runtime;
using OfflineBackup.Copies;

namespace OfflineBackup.Tests.Integration.Copies;

/// <summary>
/// One EC2 double serving two regions, a real SDK client signed for each, and a copy step over
/// them: snapshots in <see cref="SourceRegion"/>, copies in <see cref="CopyRegion"/>.
/// </summary>
internal sealed class CopyWorld : IAsyncDisposable
{
    public const string SourceRegion = "us-east-1";
    public const string CopyRegion = "eu-central-1";
    public const string Volume = TestSettings.VolumeId;

    private readonly TempDirectory _directory = new();
    private readonly List<AmazonEC2Client> _clients = [];

    private CopyWorld(Ec2Double ec2)
    {
        Ec2 = ec2;
        Source = new Ec2SnapshotStore(Client(SourceRegion));
        Target = new Ec2SnapshotStore(Client(CopyRegion));
    }

    public Ec2Double Ec2 { get; }

    public Ec2SnapshotStore Source { get; }

    public Ec2SnapshotStore Target { get; }

    /// <summary>Real time: the double stamps copies with its own (real) clock.</summary>
    public SelfAdvancingTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public static async Task<CopyWorld> StartAsync()
    {
        var ec2 = await Ec2Double.StartAsync();
        ec2.MainRegion = SourceRegion;
        ec2.AddRegion(CopyRegion);
        return new CopyWorld(ec2);
    }

    public Settings Settings(TimeSpan? copyRetention = null, int minKeep = 1, string? kmsKeyId = null) =>
        TestSettings.Create(_directory.Path) with
        {
            Aws = new AwsSettings(SourceRegion, Ec2.ServiceUrl),
            Copy = new CopySettings(CopyRegion, kmsKeyId, Ec2.ServiceUrl, copyRetention ?? TimeSpan.FromDays(7), minKeep, 10, CalendarRules.Off),
        };

    public CopyStep Step => new(Source, Target, Clock, [TimeSpan.FromMilliseconds(5)]);

    public Task<CopyResult> RunAsync(Settings? settings = null) => Step.RunAsync(settings ?? Settings(), CancellationToken.None);

    /// <summary>A run during which every CopySnapshot fails (InternalError); the runs after it may copy again.</summary>
    public async Task<CopyResult> RunWithCopiesFailingAsync()
    {
        Ec2.Faults.FailAlways("CopySnapshot", Ec2Fault.InternalError());
        try
        {
            return await RunAsync();
        }
        finally
        {
            Ec2.Faults.Clear("CopySnapshot");
        }
    }

    /// <summary>A snapshot of ours, this long ago.</summary>
    public string SeedOurs(string id, TimeSpan age, string state = "completed")
    {
        Ec2.Seed(new SnapshotSeed(id, Volume, Clock.GetUtcNow() - age) { State = state, Tags = OurTags(id) });
        return id;
    }

    public static Dictionary<string, string> OurTags(string runId) => new(StringComparer.Ordinal)
    {
        [ToolTags.CreatedBy] = ToolTags.CreatedByValue,
        [ToolTags.Volume] = Volume,
        [ToolTags.RunId] = runId,
        [ToolTags.Name] = "pro-sql-test-backup",
    };

    public List<Ec2Call> Copies() => Ec2.Calls.Of("CopySnapshot").Where(c => !c.DryRun).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Ec2.DisposeAsync();
        _directory.Dispose();
    }

    private AmazonEC2Client Client(string region)
    {
        var client = Ec2ClientFactory.Create(
            new AwsSettings(region, Ec2.ServiceUrl),
            new Ec2ClientTuning(new BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"), MaxRetryBackoff: TimeSpan.FromMilliseconds(20)));
        _clients.Add(client);
        return client;
    }
}
