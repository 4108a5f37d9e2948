using System.Globalization;

namespace OfflineBackup.Tests.Support;

/// <summary>A config.yml for CLI tests: the original tool's keys plus what the test points at.</summary>
internal sealed record TestConfig(
    int MySqlPort,
    string MySqlUser,
    string MySqlPassword,
    Uri? Ec2Endpoint,
    string VolumeId = TestSettings.VolumeId,
    string StopCommand = "true",
    string StartCommand = "true",
    int StopTimeoutSeconds = 30,
    int StartTimeoutSeconds = 60,
    string? PidFile = null,
    string RestartAfter = "completed",
    int SnapshotWaitTimeoutSeconds = 60,
    int MaxLagSeconds = 10800,
    int MinKeep = 3,
    int MaxDeletes = 10,
    bool AdoptLegacy = false,
    long RetentionSeconds = 250000,
    string InstanceExtra = "",
    string ExtraSections = "")
{
    public string Render(string lockFile, string journalFile)
    {
        var inv = CultureInfo.InvariantCulture;
        var endpoint = Ec2Endpoint is null ? string.Empty : $"  endpoint_url: {Ec2Endpoint}\n";
        var pid = PidFile is null ? string.Empty : $"  pid_file: {PidFile}\n";
        return string.Create(inv, $"""
            mysql:
              host: 127.0.0.1
              user: {MySqlUser}
              port: {MySqlPort}
              password: '{MySqlPassword}'
              db: ''
              connect_timeout_seconds: 3
            instance:
              instance_id: i-0123456789abcdef0
              volume_id: {VolumeId}
              g_instance_name: pro-sql-test-
              lock_filename: {lockFile}
              tag_role: sql
              tag_schema: shop
              tag_environment: pro
              retention_seconds: {RetentionSeconds}
            {InstanceExtra}aws:
              region: us-east-1
            {endpoint}service:
              stop_command: '{StopCommand.Replace("'", "''", StringComparison.Ordinal)}'
              start_command: '{StartCommand.Replace("'", "''", StringComparison.Ordinal)}'
              stop_timeout_seconds: {StopTimeoutSeconds}
              start_timeout_seconds: {StartTimeoutSeconds}
              restart_after: {RestartAfter}
              snapshot_wait_timeout_seconds: {SnapshotWaitTimeoutSeconds}
              snapshot_poll_seconds: 1
            {pid}guards:
              max_lag_seconds: {MaxLagSeconds}
            retention:
              min_keep: {MinKeep}
              max_deletes: {MaxDeletes}
              adopt_legacy: {(AdoptLegacy ? "true" : "false")}
            state:
              journal_path: {journalFile}
            {ExtraSections}
            """);
    }
}
