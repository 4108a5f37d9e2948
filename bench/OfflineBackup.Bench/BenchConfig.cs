using System.Globalization;

namespace OfflineBackup.Bench;

/// <summary>
/// The config.yml a bench scene gives the tool: the original tool's keys, the sandbox replica,
/// the EC2 double, and the fixture's real stop and start commands. Everything not named here
/// keeps its default, notably <c>service.snapshot_poll_seconds</c> (10): the defaults are what
/// is measured.
/// </summary>
public sealed record BenchConfig(
    int MySqlPort,
    string MySqlUser,
    string MySqlPassword,
    Uri Ec2Endpoint,
    string VolumeId,
    string StopCommand,
    string StartCommand,
    string PidFile,
    string RestartAfter,
    string LockFile,
    string JournalFile)
{
    public const string GInstanceName = "pro-sql-bench-";

    public string Render() => string.Create(CultureInfo.InvariantCulture, $"""
        mysql:
          host: 127.0.0.1
          user: {MySqlUser}
          port: {MySqlPort}
          password: '{MySqlPassword}'
          db: ''
        instance:
          instance_id: i-0123456789abcdef0
          volume_id: {VolumeId}
          g_instance_name: {GInstanceName}
          lock_filename: {LockFile}
          tag_role: sql
          tag_schema: shop
          tag_environment: pro
          retention_seconds: 250000
        aws:
          region: us-east-1
          endpoint_url: {Ec2Endpoint}
        service:
          stop_command: '{Quote(StopCommand)}'
          start_command: '{Quote(StartCommand)}'
          pid_file: {PidFile}
          restart_after: {RestartAfter}
        state:
          journal_path: {JournalFile}

        """);

    private static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
