using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// The made-up site the sandbox plays: one EC2 instance, its data volume and the original tool's
/// tags, with the tool's files (config, password file, lock, journal, log) in one directory.
/// </summary>
internal static class SandboxSite
{
    public const string InstanceId = "i-0a1b2c3d4e5f60718";
    public const string VolumeId = "vol-0a1b2c3d4e5f60718";
    public const string NamePrefix = "sandbox-sql-db1-";

    /// <summary>Where the copies go: served by the same EC2 double, told apart by the signing region.</summary>
    public const string CopyRegion = "eu-central-1";

    /// <summary>
    /// The world's config with the site's instance, the password in a file as the README
    /// advises, and the log beside the config. Everything else keeps its default, except the
    /// snapshot poll (1 s, so the demo is quick).
    /// </summary>
    public static ToolConfig Configure(ToolConfig config, ToolFiles files) => config with
    {
        Comment = "Written by the offline-backup sandbox; removed with it.",
        PasswordFile = files.PasswordFile,
        InstanceId = InstanceId,
        VolumeId = VolumeId,
        GInstanceName = NamePrefix,
        TagEnvironment = "sandbox",
        SnapshotPollSeconds = 1,
        LogFile = files.Log,
        CopyRegion = CopyRegion,
    };
}
