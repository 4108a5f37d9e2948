namespace OfflineBackup.Freezing;

/// <summary>
/// Whether the filesystem holding <see cref="Path"/> may be frozen: <see cref="Mount"/> is the
/// mount to freeze, <see cref="Refusal"/> a reason a DBA can act on when it may not.
/// </summary>
public sealed record FreezeVerdict(string Path, MountEntry? Mount, string? Refusal)
{
    public bool Allowed => Refusal is null && Mount is not null;
}

/// <summary>
/// The look before a freeze, kept apart from the freeze so the online preflight guard can show it
/// in `check`. Refuses the root filesystem (the system, its logs and this tool write there; a
/// frozen / hangs the host) and any filesystem that also holds a path this tool writes while the
/// freeze lasts (its lock, journal, log, metrics file): that write would block the run that is
/// the only thing due to thaw it, until the watchdog's deadline.
/// </summary>
public static class FreezeCheck
{
    private const string Advice = "or set freeze_filesystem: false";

    /// <summary>
    /// Pure: <paramref name="path"/> and <paramref name="toolPaths"/> must be absolute and free of
    /// symlinks (<see cref="OnHost"/> resolves them). Same filesystem means same device, so a
    /// bind mount of the root filesystem or of the data filesystem is caught too.
    /// </summary>
    public static FreezeVerdict Evaluate(MountTable mounts, string path, IEnumerable<string> toolPaths)
    {
        var mount = mounts.Holding(path);
        if (mount is null)
        {
            return new FreezeVerdict(path, null, $"cannot freeze the filesystem holding {path}: no mount in {MountTable.HostFile} holds it");
        }

        if (mount.MountPoint == "/")
        {
            return Refused(path, mount, $"refusing to freeze the filesystem holding {path}: it is the root filesystem (/), which the system, "
                + $"its logs and this tool write to, so freezing it would hang the host. Put the data directory on a filesystem of its own, {Advice}");
        }

        if (mounts.RootMount is { } root && root.Device == mount.Device)
        {
            return Refused(path, mount, $"refusing to freeze the filesystem holding {path}: {mount.MountPoint} is a bind mount of the root "
                + $"filesystem (device {mount.Device}, mounted on /), which the system, its logs and this tool write to. "
                + $"Put the data directory on a filesystem of its own, {Advice}");
        }

        var shared = toolPaths
            .Where(p => !string.IsNullOrEmpty(p))
            .Where(p => mounts.Holding(p) is { } other && other.Device == mount.Device)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (shared.Count > 0)
        {
            return Refused(path, mount, $"refusing to freeze the filesystem holding {path} (mounted on {mount.MountPoint}, {mount.Source}): "
                + $"it also holds {string.Join(", ", shared)}, which this tool writes while the filesystem is frozen, so the run would hang "
                + $"on its own write. Move them to another filesystem (the lock, journal, log and metrics paths in the configuration), {Advice}");
        }

        return new FreezeVerdict(path, mount, null);
    }

    /// <summary>
    /// The same check on this host: symlinks resolved, the mounts read from /proc/self/mountinfo,
    /// and the mount found by path confirmed by the device stat reports for the path itself.
    /// </summary>
    public static FreezeVerdict OnHost(string path, IEnumerable<string> toolPaths)
    {
        var canonical = FsFreezeCalls.Canonical(path);
        var device = FsFreezeCalls.DeviceOf(canonical);
        if (device is null)
        {
            return new FreezeVerdict(path, null, $"cannot freeze the filesystem holding {path}: the path does not exist");
        }

        var verdict = Evaluate(MountTable.ReadHost(), canonical, toolPaths.Where(p => !string.IsNullOrEmpty(p)).Select(FsFreezeCalls.Canonical));
        if (verdict.Mount is { } mount && mount.Device != device)
        {
            return new FreezeVerdict(path, null, $"cannot tell which filesystem holds {path}: its device is {device}, but the mount "
                + $"{MountTable.HostFile} gives for it ({mount.MountPoint}) is device {mount.Device}");
        }

        return verdict with { Path = path };
    }

    private static FreezeVerdict Refused(string path, MountEntry mount, string reason) => new(path, mount, reason);
}
