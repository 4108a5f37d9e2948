namespace OfflineBackup.Sandbox.Disks;

/// <summary>How a <see cref="DiskStore"/> keeps its volumes.</summary>
public enum DiskMode
{
    /// <summary>Filesystem images on a loop-mounted xfs pool, attached to loop devices and mounted: real block storage.</summary>
    Loop,

    /// <summary>Plain directories, copied; for machines that cannot loop-mount. Same API, no block devices.</summary>
    Directory,
}

/// <summary>What a caller asks for; <see cref="Auto"/> takes loop devices where the machine allows them.</summary>
public enum DiskModeRequest
{
    Auto,
    Loop,
    Directory,
}

public static class DiskModes
{
    /// <summary>Forces a mode for every disk store of the process: <c>loop</c>, <c>directory</c> or <c>auto</c>.</summary>
    public const string Variable = "OFFLINE_BACKUP_SANDBOX_DISKS";

    /// <summary>The request, with the environment variable overriding <see cref="DiskModeRequest.Auto"/> only.</summary>
    public static DiskModeRequest Resolve(DiskModeRequest requested)
    {
        if (requested != DiskModeRequest.Auto)
        {
            return requested;
        }

        return Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => DiskModeRequest.Auto,
            "loop" => DiskModeRequest.Loop,
            "directory" => DiskModeRequest.Directory,
            var other => throw new ArgumentException($"{Variable}={other}: expected loop, directory or auto"),
        };
    }

    /// <summary>Why loop devices cannot be used here, or null when they can be tried.</summary>
    public static string? LoopUnavailableReason()
    {
        if (Environment.UserName != "root")
        {
            return "loop devices need root";
        }

        if (!File.Exists("/dev/loop-control"))
        {
            return "no /dev/loop-control";
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "");
        var dirs = path.Split(':', StringSplitOptions.RemoveEmptyEntries);
        var missing = new[] { "losetup", "mkfs.xfs", "mkfs.ext4", "mount" }
            .Where(p => !dirs.Any(d => File.Exists(Path.Combine(d, p))))
            .ToList();
        return missing.Count > 0 ? $"{string.Join(", ", missing)} not installed" : null;
    }
}
