namespace OfflineBackup.Configuration;

/// <summary>
/// Where this instance's restored volumes go and how they show up: the zone a new volume is made
/// in (instance.availability_zone) and the directory where the kernel links an attached EBS
/// volume by its id (instance.device_directory; Nitro's udev rules make /dev/disk/by-id).
/// The zone is a config key, not an instance-metadata lookup: one source, testable, and the
/// tool never waits on IMDS from a host that has none.
/// </summary>
public sealed record PlacementSettings(string? AvailabilityZone, string DeviceDirectory)
{
    public const string DefaultDeviceDirectory = "/dev/disk/by-id";

    public static PlacementSettings Default { get; } = new(null, DefaultDeviceDirectory);
}

/// <summary>
/// The <c>drill:</c> section: how a restore drill starts its throwaway server and what it checks.
/// The server shares the host with production, hence the small buffer pool.
/// </summary>
public sealed record DrillSettings(
    string ScratchDirectory,
    string MysqldBinary,
    string DataDirectoryOnVolume,
    string BufferPoolSize,
    IReadOnlyList<string> CountTables,
    int? EveryDays,
    TimeSpan VolumeTimeout,
    TimeSpan DeviceTimeout,
    TimeSpan StartTimeout,
    TimeSpan PollInterval)
{
    public const string DefaultScratchDirectory = "/var/lib/offline-backup/drill";

    public static DrillSettings Default { get; } = new(
        DefaultScratchDirectory, "/usr/sbin/mariadbd", ".", "64M", [], null,
        TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(2));

    /// <summary>How long AttachVolume may take to report attached (drill.attach_timeout_seconds).</summary>
    public TimeSpan AttachTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The optional <c>restore:</c> section: how long <c>restore</c> waits, apart from the drill's
/// limits. A restore is a person at a terminal, often in an incident, restoring any size of
/// volume: its waits must not shrink when someone tunes the unattended drill's.
/// </summary>
public sealed record RestoreSettings(TimeSpan VolumeTimeout, TimeSpan AttachTimeout, TimeSpan DeviceTimeout)
{
    public static RestoreSettings Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
}
