using OfflineBackup.Configuration;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// A config.yml for the tool, typed: the original tool's two sections (<c>mysql:</c>,
/// <c>instance:</c>) and this tool's own. A setting left null is not written, so the tool's
/// default applies (the bench measures the defaults). YamlDotNet, the tool's own YAML library,
/// writes it, so a stop command or a password with YAML's special characters reads back as written.
/// </summary>
public sealed record ToolConfig
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

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

    public string? Region { get; init; } = "us-east-1";

    public int? RequestTimeoutSeconds { get; init; }

    public int? MaxAttempts { get; init; }

    public int? MaxDownSeconds { get; init; }

    public Uri? Ec2Endpoint { get; init; }

    public string StopCommand { get; init; } = "true";

    public string StartCommand { get; init; } = "true";

    public int? StopTimeoutSeconds { get; init; }

    public int? StartTimeoutSeconds { get; init; }

    public string? PidFile { get; init; }

    public string? RestartAfter { get; init; }

    public int? SnapshotWaitTimeoutSeconds { get; init; }

    public int? SnapshotPollSeconds { get; init; }

    public bool? PreFlush { get; init; }

    public int? PreFlushTimeoutSeconds { get; init; }

    public int? MaxLagSeconds { get; init; }

    public int? MinKeep { get; init; }

    public int? MaxDeletes { get; init; }

    public bool? AdoptLegacy { get; init; }

    /// <summary>When set, a copy: section sending copies there, through <see cref="Ec2Endpoint"/> (one double serves both regions).</summary>
    public string? CopyRegion { get; init; }

    public string? CopyKmsKeyId { get; init; }

    public required string JournalFile { get; init; }

    public string? LogFile { get; init; }

    /// <summary>metrics.textfile: the node_exporter textfile the tool rewrites; null writes no metrics section.</summary>
    public string? MetricsTextfile { get; init; }

    /// <summary>instance.availability_zone (restore and drill); null: not written.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary>instance.device_directory: where attached volumes appear by id (the double's by-id directory).</summary>
    public string? DeviceDirectory { get; init; }

    /// <summary>The drill: section; null writes none.</summary>
    public DrillConfig? Drill { get; init; }

    /// <summary>The consistency: section; null writes none (stop mode).</summary>
    public ConsistencyConfig? Consistency { get; init; }

    /// <summary>The restore: section; null writes none.</summary>
    public RestoreConfig? Restore { get; init; }

    /// <summary>A first line saying who wrote the file, for a person who finds it.</summary>
    public string? Comment { get; init; }

    /// <summary>The instance section as the tool reads it back (for seeding snapshots tagged as the tool tags its own).</summary>
    public InstanceSettings Instance => new(
        InstanceId, VolumeId, GInstanceName, LockFile, TagRole, TagSchema, TagEnvironment, TimeSpan.FromSeconds(RetentionSeconds));

    public string Render()
    {
        var document = new Document(
            new MySqlSection(MySqlHost, MySqlUser, MySqlPort, PasswordFile is null ? MySqlPassword : null, PasswordFile, string.Empty, ConnectTimeoutSeconds),
            new InstanceSection(InstanceId, VolumeId, GInstanceName, LockFile, TagRole, TagSchema, TagEnvironment, RetentionSeconds, AvailabilityZone, DeviceDirectory),
            new AwsSection(Region, Ec2Endpoint?.ToString(), RequestTimeoutSeconds, MaxAttempts),
            new ServiceSection(
                StopCommand, StartCommand, StopTimeoutSeconds, StartTimeoutSeconds, PidFile, RestartAfter, SnapshotWaitTimeoutSeconds, SnapshotPollSeconds,
                MaxDownSeconds, PreFlush, PreFlushTimeoutSeconds),
            MaxLagSeconds is { } lag ? new GuardsSection(lag) : null,
            MinKeep is null && MaxDeletes is null && AdoptLegacy is null ? null : new RetentionSection(MinKeep, MaxDeletes, AdoptLegacy),
            CopyRegion is null ? null : new CopySection(CopyRegion, CopyKmsKeyId, Ec2Endpoint?.ToString()),
            new StateSection(JournalFile),
            LogFile is null ? null : new LoggingSection(LogFile),
            MetricsTextfile is null ? null : new MetricsSection(MetricsTextfile),
            Drill,
            Consistency,
            Restore);
        var yaml = Serializer.Serialize(document);
        return Comment is null ? yaml : $"# {Comment}\n{yaml}";
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

    // The file's shape: one record per section, the tool's key for each property (snake case).
    private sealed record Document(
        MySqlSection Mysql, InstanceSection Instance, AwsSection Aws, ServiceSection Service,
        GuardsSection? Guards, RetentionSection? Retention, CopySection? Copy, StateSection State, LoggingSection? Logging, MetricsSection? Metrics,
        DrillConfig? Drill, ConsistencyConfig? Consistency, RestoreConfig? Restore);

    private sealed record MySqlSection(string Host, string User, int Port, string? Password, string? PasswordFile, string Db, int? ConnectTimeoutSeconds);

    private sealed record InstanceSection(
        string InstanceId, string VolumeId, [property: YamlMember(Alias = "g_instance_name")] string GInstanceName, string LockFilename,
        string TagRole, string TagSchema, string TagEnvironment, long RetentionSeconds, string? AvailabilityZone, string? DeviceDirectory);

    private sealed record AwsSection(string? Region, string? EndpointUrl, int? RequestTimeoutSeconds, int? MaxAttempts);

    private sealed record ServiceSection(
        string StopCommand, string StartCommand, int? StopTimeoutSeconds, int? StartTimeoutSeconds, string? PidFile,
        string? RestartAfter, int? SnapshotWaitTimeoutSeconds, int? SnapshotPollSeconds, int? MaxDownSeconds,
        [property: YamlMember(Alias = "preflush")] bool? PreFlush, [property: YamlMember(Alias = "preflush_timeout_seconds")] int? PreFlushTimeoutSeconds);

    private sealed record GuardsSection(int MaxLagSeconds);

    private sealed record RetentionSection(int? MinKeep, int? MaxDeletes, bool? AdoptLegacy);

    private sealed record CopySection(string Region, string? KmsKeyId, string? EndpointUrl);

    private sealed record StateSection(string JournalPath);

    private sealed record LoggingSection(string File);

    private sealed record MetricsSection(string Textfile);
}

/// <summary>The drill: section of a <see cref="ToolConfig"/>; a null key is not written (the tool's default applies).</summary>
public sealed record DrillConfig
{
    public string? ScratchDirectory { get; init; }

    public string? Mysqld { get; init; }

    public string? DataDirectoryOnVolume { get; init; }

    public string? BufferPoolSize { get; init; }

    public IReadOnlyList<string>? CountTables { get; init; }

    public int? EveryDays { get; init; }

    public int? VolumeTimeoutSeconds { get; init; }

    public int? DeviceTimeoutSeconds { get; init; }

    public int? StartTimeoutSeconds { get; init; }
}

/// <summary>The consistency: section of a <see cref="ToolConfig"/>; a null key is not written (the tool's default applies).</summary>
public sealed record ConsistencyConfig
{
    public string? Mode { get; init; } = "online";

    public bool? FreezeFilesystem { get; init; }

    public int? MaxBlockSeconds { get; init; }
}

/// <summary>The restore: section of a <see cref="ToolConfig"/>; a null key is not written (the tool's default applies).</summary>
public sealed record RestoreConfig
{
    public int? VolumeTimeoutSeconds { get; init; }

    public int? AttachTimeoutSeconds { get; init; }

    public int? DeviceTimeoutSeconds { get; init; }
}
