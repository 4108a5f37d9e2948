using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>What a <see cref="ToolWorld"/> is made of. By default: no MySQL, a fresh EC2 double with one volume, files in a fresh /tmp directory.</summary>
public sealed record ToolWorldOptions
{
    /// <summary>A running pair the world points the tool at and leaves running (the tests' shared one, the bench's).</summary>
    public MariaDbReplicationPair? Pair { get; init; }

    /// <summary>Start a pair of the world's own with these options; it goes with the world, the tool's files inside its directory.</summary>
    public MariaDbPairOptions? OwnPair { get; init; }

    /// <summary>Where the tool's files go (removed with the world); default as above.</summary>
    public string? Directory { get; init; }

    public string VolumeId { get; init; } = ToolConfig.DefaultVolumeId;

    /// <summary>The instance the double knows the volume attached to, when the pair's replica has a real volume.</summary>
    public string InstanceId { get; init; } = ToolConfig.DefaultInstanceId;

    /// <summary>The volume's size in the double; null leaves the double without it (prune and list never ask).</summary>
    public int? VolumeSizeGiB { get; init; } = 200;

    /// <summary>
    /// The world's config, from the default one (which points at the pair and the double) and the
    /// world's files; also the base of every rewrite.
    /// </summary>
    public Func<ToolConfig, ToolFiles, ToolConfig> Configure { get; init; } = (config, _) => config;
}
