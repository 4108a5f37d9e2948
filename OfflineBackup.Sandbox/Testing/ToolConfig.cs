using System.Globalization;
using System.Text;
using OfflineBackup.Configuration;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// A config.yml for the tool, typed: the original tool's two sections (<c>mysql:</c>,
/// <c>instance:</c>) and this tool's own. A setting left null is not written, so the tool's
/// default applies (the bench measures the defaults). Every string is single-quoted, so a stop
/// command or a password with YAML's special characters reads back as written.
/// </summary>
public sealed record ToolConfig
{
    public const string DefaultInstanceId = "i-0123456789abcdef0";
    public const string DefaultVolumeId = "vol-0123456789abcdef0";

    public string MySqlHost { get; init; } = "127.0.0.1";

    public required int MySqlPort { get; init; }

    public required string MySqlUser { get; init; }

    public required string MySqlPassword { get; init; }

    /// <summary>When set, the password goes to this file (mode 0600) and the config names the file instead.</summary>
    public string? PasswordFile { get; init; }

    public int? ConnectTimeoutSeconds { get; init; }

    public string InstanceId { get; init; } = DefaultInstanceId;

    public string VolumeId { get; init; } = DefaultVolumeId;

    public string GInstanceName { get; init; } = "pro-sql-test-";

    public required string LockFile { get; init; }

    public string TagRole { get; init; } = "sql";

    public string TagSchema { get; init; } = "shop";

    public string TagEnvironment { get; init; } = "pro";

    public long RetentionSeconds { get; init; } = 250_000;

    public string Region { get; init; } = "us-east-1";

    public Uri? Ec2Endpoint { get; init; }

    public string StopCommand { get; init; } = "true";

    public string StartCommand { get; init; } = "true";

    public int? StopTimeoutSeconds { get; init; }

    public int? StartTimeoutSeconds { get; init; }

    public string? PidFile { get; init; }

    public string? RestartAfter { get; init; }

    public int? SnapshotWaitTimeoutSeconds { get; init; }

    public int? SnapshotPollSeconds { get; init; }

    public int? MaxLagSeconds { get; init; }

    public int? MinKeep { get; init; }

    public int? MaxDeletes { get; init; }

    public bool? AdoptLegacy { get; init; }

    public required string JournalFile { get; init; }

    public string? LogFile { get; init; }

    /// <summary>A first line saying who wrote the file, for a person who finds it.</summary>
    public string? Comment { get; init; }

    /// <summary>The instance section as the tool reads it back (for seeding snapshots tagged as the tool tags its own).</summary>
    public InstanceSettings Instance => new(
        InstanceId, VolumeId, GInstanceName, LockFile, TagRole, TagSchema, TagEnvironment, TimeSpan.FromSeconds(RetentionSeconds));

    public string Render()
    {
        var yaml = new YamlText();
        if (Comment is not null)
        {
            yaml.Comment(Comment);
        }

        yaml.Section("mysql",
            ("host", Quote(MySqlHost)),
            ("user", Quote(MySqlUser)),
            ("port", Number(MySqlPort)),
            PasswordFile is null ? ("password", Quote(MySqlPassword)) : ("password_file", Quote(PasswordFile)),
            ("db", Quote(string.Empty)),
            ("connect_timeout_seconds", Number(ConnectTimeoutSeconds)));
        yaml.Section("instance",
            ("instance_id", Quote(InstanceId)),
            ("volume_id", Quote(VolumeId)),
            ("g_instance_name", Quote(GInstanceName)),
            ("lock_filename", Quote(LockFile)),
            ("tag_role", Quote(TagRole)),
            ("tag_schema", Quote(TagSchema)),
            ("tag_environment", Quote(TagEnvironment)),
            ("retention_seconds", Number(RetentionSeconds)));
        yaml.Section("aws", ("region", Quote(Region)), ("endpoint_url", Quote(Ec2Endpoint?.ToString())));
        yaml.Section("service",
            ("stop_command", Quote(StopCommand)),
            ("start_command", Quote(StartCommand)),
            ("stop_timeout_seconds", Number(StopTimeoutSeconds)),
            ("start_timeout_seconds", Number(StartTimeoutSeconds)),
            ("pid_file", Quote(PidFile)),
            ("restart_after", Quote(RestartAfter)),
            ("snapshot_wait_timeout_seconds", Number(SnapshotWaitTimeoutSeconds)),
            ("snapshot_poll_seconds", Number(SnapshotPollSeconds)));
        yaml.Section("guards", ("max_lag_seconds", Number(MaxLagSeconds)));
        yaml.Section("retention",
            ("min_keep", Number(MinKeep)),
            ("max_deletes", Number(MaxDeletes)),
            ("adopt_legacy", AdoptLegacy switch { true => "true", false => "false", null => null }));
        yaml.Section("state", ("journal_path", Quote(JournalFile)));
        yaml.Section("logging", ("file", Quote(LogFile)));
        return yaml.ToString();
    }

    /// <summary>Writes the config (and the password file, if any), mode 0600, as the README asks of real ones.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        if (PasswordFile is not null)
        {
            await WritePrivateAsync(PasswordFile, MySqlPassword + "\n", cancellationToken);
        }

        await WritePrivateAsync(path, Render(), cancellationToken);
    }

    private static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        // Created with mode 0600, so the secret is never readable by others, not even briefly;
        // the mode is set again for a file that was there already.
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string? Quote(string? value) =>
        value is null ? null : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sections of "key: value" lines; a section whose values are all null is left out.</summary>
    private sealed class YamlText
    {
        private readonly StringBuilder _text = new();

        public void Comment(string comment) => _text.Append("# ").AppendLine(comment);

        public void Section(string name, params (string Key, string? Value)[] entries)
        {
            var present = entries.Where(e => e.Value is not null).ToList();
            if (present.Count == 0)
            {
                return;
            }

            _text.Append(name).AppendLine(":");
            foreach (var (key, value) in present)
            {
                _text.Append("  ").Append(key).Append(": ").AppendLine(value);
            }
        }

        public override string ToString() => _text.ToString();
    }
}
