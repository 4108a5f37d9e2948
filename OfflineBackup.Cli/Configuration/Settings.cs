namespace OfflineBackup.Configuration;

/// <summary>
/// The validated configuration. Built only by <see cref="ConfigLoader"/>; every value here has
/// passed validation, so the rest of the code never re-checks it.
/// </summary>
public sealed record Settings(
    string SourcePath,
    MySqlSettings MySql,
    InstanceSettings Instance,
    AwsSettings Aws,
    ServiceSettings Service,
    GuardSettings Guards,
    RetentionSettings Retention,
    StateSettings State,
    LoggingSettings Logging)
{
    /// <summary>The optional <c>copy:</c> section: a copy of each snapshot in another region. Null when absent.</summary>
    public CopySettings? Copy { get; init; }

    /// <summary>The optional <c>metrics:</c> section; off when absent.</summary>
    public MetricsSettings Metrics { get; init; } = MetricsSettings.Off;

    /// <summary>instance.availability_zone and instance.device_directory: where restores and drills put volumes.</summary>
    public PlacementSettings Placement { get; init; } = PlacementSettings.Default;

    /// <summary>The optional <c>drill:</c> section.</summary>
    public DrillSettings Drill { get; init; } = DrillSettings.Default;

    /// <summary>The optional <c>consistency:</c> section: stop (default) or online.</summary>
    public ConsistencySettings Consistency { get; init; } = ConsistencySettings.Default;

    /// <summary>The optional <c>restore:</c> section: restore's own waits.</summary>
    public RestoreSettings Restore { get; init; } = RestoreSettings.Default;
}

/// <summary>The original tool's <c>mysql:</c> section, plus where else the password may come from.</summary>
public sealed record MySqlSettings(
    string Host,
    string User,
    int Port,
    Secret Password,
    string Db,
    TimeSpan ConnectTimeout);

/// <summary>The original tool's <c>instance:</c> section, keys unchanged.</summary>
public sealed record InstanceSettings(
    string InstanceId,
    string VolumeId,
    string GInstanceName,
    string LockFilename,
    string TagRole,
    string TagSchema,
    string TagEnvironment,
    TimeSpan Retention);

/// <summary>
/// Where EC2 is and how long to wait for it: <see cref="RequestTimeout"/> per HTTP attempt,
/// <see cref="MaxAttempts"/> per call (the first try included).
/// </summary>
public sealed record AwsSettings(string? Region, Uri? EndpointUrl, TimeSpan RequestTimeout, int MaxAttempts)
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(20);
    public const int DefaultMaxAttempts = 3;

    public AwsSettings(string? region, Uri? endpointUrl)
        : this(region, endpointUrl, DefaultRequestTimeout, DefaultMaxAttempts)
    {
    }
}

public enum RestartAfter
{
    /// <summary>Start MySQL once the snapshot is completed (the original tool's behaviour).</summary>
    Completed,

    /// <summary>Start MySQL as soon as CreateSnapshot returned: the snapshot is point-in-time then.</summary>
    Pending,
}

public sealed record ServiceSettings(
    string StopCommand,
    string StartCommand,
    TimeSpan StopTimeout,
    TimeSpan StartTimeout,
    string? PidFile,
    RestartAfter RestartAfter,
    TimeSpan SnapshotWaitTimeout,
    TimeSpan SnapshotPollInterval)
{
    public static readonly TimeSpan DefaultMaxDown = TimeSpan.FromSeconds(40);

    /// <summary>
    /// How long MySQL may stay down waiting for CreateSnapshot (its retries and run-id lookups
    /// included; the wait for <c>completed</c> is not). Past it MySQL is started and a snapshot
    /// that lands later is adopted by the next run.
    /// </summary>
    public TimeSpan MaxDown { get; init; } = DefaultMaxDown;

    /// <summary>Let InnoDB flush its dirty pages while MySQL still runs, before the stop (<c>service.preflush</c>).</summary>
    public bool PreFlush { get; init; } = true;

    /// <summary>How long the pre-flush may wait for the dirty pages to fall; then the stop goes ahead.</summary>
    public TimeSpan PreFlushTimeout { get; init; } = TimeSpan.FromSeconds(300);
}

public sealed record GuardSettings(
    TimeSpan MaxLag,
    TimeSpan MinSnapshotAge,
    TimeSpan AgeTolerance);

public sealed record RetentionSettings(int MinKeep, int MaxDeletes, bool AdoptLegacy)
{
    /// <summary>keep_daily/keep_weekly/keep_monthly and timezone; all off by default.</summary>
    public Retention.CalendarRules Calendar { get; init; } = Retention.CalendarRules.Off;
}

public sealed record StateSettings(string JournalPath);

public sealed record LoggingSettings(string? File);

/// <summary>
/// Where copies go and how long they stay: <c>copy:</c>. The copies' own retention rules are
/// independent of the source's (a DBA may keep a week at home and a year away from it).
/// </summary>
public sealed record CopySettings(
    string Region,
    string? KmsKeyId,
    Uri? EndpointUrl,
    TimeSpan Retention,
    int MinKeep,
    int MaxDeletes,
    Retention.CalendarRules Calendar);

/// <summary>The optional <c>metrics:</c> section: the node_exporter textfile to rewrite after every run, check and prune.</summary>
public sealed record MetricsSettings(string? Textfile)
{
    public static readonly MetricsSettings Off = new((string?)null);
}
