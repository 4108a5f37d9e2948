namespace OfflineBackup.Tests.Support;

/// <summary>The tests' config.yml: the shared <see cref="ToolConfig"/> with every setting the tests rely on written out.</summary>
internal static class TestConfig
{
    /// <summary>
    /// A 1 s snapshot poll, so runs are quick, and the rest as the tests assume it. The MySQL
    /// connect timeout is generous: on a loaded machine (several test runs on two cores) a
    /// healthy replica can take seconds to accept, and a refused login must not read as a dead server.
    /// </summary>
    public static ToolConfig Quick(ToolConfig config) => config with
    {
        ConnectTimeoutSeconds = 10,
        StopTimeoutSeconds = 30,
        StartTimeoutSeconds = 60,
        RestartAfter = "completed",
        SnapshotWaitTimeoutSeconds = 60,
        SnapshotPollSeconds = 1,
        MaxLagSeconds = 10800,
        MinKeep = 3,
        MaxDeletes = 10,
        AdoptLegacy = false,
    };

    /// <summary>A config for a harness without a world: MySQL at <paramref name="mySqlPort"/>, EC2 at <paramref name="ec2"/> (none: the SDK's own).</summary>
    public static ToolConfig For(ToolFiles files, int mySqlPort, string password, Uri? ec2) => Quick(new ToolConfig
    {
        MySqlPort = mySqlPort,
        MySqlUser = "monitor",
        MySqlPassword = password,
        Ec2Endpoint = ec2,
        LockFile = files.Lock,
        JournalFile = files.Journal,
    });
}
