using System.Globalization;
using OfflineBackup.Configuration;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// The made-up site the sandbox plays: one EC2 instance, its data volume and the original tool's
/// tags, with the tool's files (config, lock, journal, log) in one directory.
/// </summary>
internal sealed record SandboxSite(string Directory, MariaDbServer Replica, Uri Ec2Endpoint)
{
    public const string InstanceId = "i-0a1b2c3d4e5f60718";
    public const string VolumeId = "vol-0a1b2c3d4e5f60718";
    public const string NamePrefix = "sandbox-sql-db1-";
    public const string Region = "us-east-1";

    /// <summary>Where the copies go: served by the same EC2 double, told apart by the signing region.</summary>
    public const string CopyRegion = "eu-central-1";

    public string ConfigPath => Path.Combine(Directory, "config.yml");

    public string LockFile => Path.Combine(Directory, "offline-backup.lock");

    public string JournalFile => Path.Combine(Directory, "journal.json");

    public string LogFile => Path.Combine(Directory, "offline-backup.log");

    public string PasswordFile => Path.Combine(Directory, "mysql.password");

    /// <summary>The instance section as the tool reads it from <see cref="ConfigPath"/>.</summary>
    public InstanceSettings Instance => new(
        InstanceId, VolumeId, NamePrefix, LockFile, "sql", "shop", "sandbox", TimeSpan.FromSeconds(250000));

    /// <summary>
    /// The original tool's two sections, then what the sandbox points elsewhere: the EC2 double,
    /// the sandbox replica's own stop and start commands, and files in the sandbox directory.
    /// Everything else keeps its default, except the snapshot poll (1 s, so the demo is quick).
    /// </summary>
    public string Render()
    {
        var instance = Instance;
        return string.Create(CultureInfo.InvariantCulture, $"""
            # Written by the offline-backup sandbox; removed with it.
            mysql:
              host: {Replica.Host}
              user: {MariaDbReplicationPair.MonitorUser}
              port: {Replica.Port}
              password_file: {PasswordFile}
              db: ''
            instance:
              instance_id: {instance.InstanceId}
              volume_id: {instance.VolumeId}
              g_instance_name: {instance.GInstanceName}
              lock_filename: {instance.LockFilename}
              tag_role: {instance.TagRole}
              tag_schema: {instance.TagSchema}
              tag_environment: {instance.TagEnvironment}
              retention_seconds: {(long)instance.Retention.TotalSeconds}
            aws:
              region: {Region}
              endpoint_url: {Ec2Endpoint}
            service:
              stop_command: {Quote(ServiceCommands.Stop(Replica))}
              start_command: {Quote(ServiceCommands.Start(Replica))}
              pid_file: {Replica.PidFile}
              snapshot_poll_seconds: 1
            copy:
              region: {CopyRegion}
              endpoint_url: {Ec2Endpoint}
            state:
              journal_path: {JournalFile}
            logging:
              file: {LogFile}

            """);
    }

    /// <summary>Writes the config and the password file, mode 0600, as the README asks of real ones.</summary>
    public async Task WriteConfigAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await WritePrivateAsync(PasswordFile, MariaDbReplicationPair.MonitorPassword + "\n", cancellationToken);
        await WritePrivateAsync(ConfigPath, Render(), cancellationToken);
    }

    private static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        // Created with mode 0600, so the secret is never readable by others, not even briefly.
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
