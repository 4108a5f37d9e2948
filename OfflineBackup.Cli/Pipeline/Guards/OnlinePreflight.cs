using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.MySql;
using OfflineBackup.Restore;

namespace OfflineBackup.Pipeline;

/// <summary>How the preflight finds devices on a host: stat's device of a path, the disk behind a device, the device a by-id link leads to.</summary>
public sealed record HostDevices(Func<string, string?> DeviceOf, Func<string, string?> DiskOf, Func<string, string?> NameOf)
{
    public static readonly HostDevices Linux = new(Freezing.FsFreezeCalls.DeviceOf, Platform.BlockDevices.DiskOf, Platform.BlockDevices.NameOf);
}

/// <summary>
/// Online mode's look before anything is touched, pure over the server's layout and the host's
/// devices so each verdict is table-tested: every path the server reports must be on the data
/// directory's filesystem (a file elsewhere would be missing from the snapshot), that filesystem
/// must be on the configured volume, the grants for the backup lock must be there, and a freeze
/// must be allowed; non-transactional tables and replication settings are warnings.
/// </summary>
public static class OnlinePreflight
{
    public const string GuardName = "online-preflight";

    /// <summary>The tool's own files: a freeze of a filesystem holding one would hang the run on its own write.</summary>
    public static IReadOnlyList<string> ToolPaths(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new[] { settings.Instance.LockFilename, settings.State.JournalPath, settings.Logging.File, settings.Metrics.Textfile }
            .OfType<string>().ToList();
    }

    public static GuardResult Evaluate(ServerLayout layout, Settings settings, HostDevices devices, Func<string, string?>? freezeRefusal)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(devices);
        if (layout.MissingPrivileges.Count > 0)
        {
            var needs = string.Join("; ", layout.MissingPrivileges.Select(m => $"{m.Privilege} (for {m.NeededFor}): {m.GrantStatement}"));
            return GuardResult.Refuse(GuardName, ExitCodes.PermissionDenied, $"online mode: {settings.MySql.User} lacks {needs}", layout.Warnings);
        }

        var dataDevice = devices.DeviceOf(layout.DataDirectory);
        if (dataDevice is null)
        {
            return Refuse($"the data directory the server reports, {layout.DataDirectory}, does not exist here: online mode runs on the replica's own host", layout);
        }

        var elsewhere = layout.Paths
            .Select(p => (Path: p, Device: devices.DeviceOf(p.Directory)))
            .Where(p => p.Device != dataDevice)
            .Select(p => $"{p.Path.Variable} {p.Path.Directory} ({(p.Device is null ? "missing here" : "device " + p.Device)})")
            .ToList();
        if (elsewhere.Count > 0)
        {
            return Refuse($"not on the data directory's filesystem (device {dataDevice}), so not in the snapshot: {string.Join(", ", elsewhere)}. "
                + "Move them onto the volume, or use consistency.mode: stop", layout);
        }

        var volumeId = settings.Instance.VolumeId;
        var link = new DeviceLocator(settings.Placement.DeviceDirectory, TimeProvider.System, TimeSpan.Zero).LinkOf(volumeId);
        var volumeDisk = devices.NameOf(link);
        var dataDisk = devices.DiskOf(dataDevice);
        string where;
        if (volumeDisk is null)
        {
            where = $"the data directory's filesystem (device {dataDevice}); {volumeId} has no link {link} on this host, "
                + "so that this is the volume could not be checked";
        }
        else if (dataDisk != volumeDisk)
        {
            return Refuse($"the data directory {layout.DataDirectory} is on {dataDisk ?? "device " + dataDevice}, but {volumeId} (instance.volume_id) is {volumeDisk} "
                + $"({link}): the snapshot would not hold the data", layout);
        }
        else
        {
            where = $"{volumeId} ({volumeDisk}, device {dataDevice})";
        }

        if (settings.Consistency.FreezeFilesystem)
        {
            var refusal = freezeRefusal is null
                ? "consistency.freeze_filesystem is set but this build cannot freeze"
                : freezeRefusal(layout.DataDirectory);
            if (refusal is not null)
            {
                return Refuse(refusal, layout);
            }
        }

        var variables = string.Join(", ", layout.Paths.Select(p => p.Variable).Distinct());
        var freeze = settings.Consistency.FreezeFilesystem ? "; its filesystem may be frozen" : string.Empty;
        return GuardResult.Pass(GuardName, $"{layout.Flavor}: every path the server reports ({variables}) is on {where}{freeze}", layout.Warnings);
    }

    private static GuardResult Refuse(string detail, ServerLayout layout) =>
        GuardResult.Refuse(GuardName, ExitCodes.BadConfiguration, "online mode: " + detail, layout.Warnings);
}
