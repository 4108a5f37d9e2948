using System.Text.RegularExpressions;
using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The original tool's <c>instance:</c> section, keys unchanged.</summary>
internal static partial class InstanceSectionReader
{
    public const string InstanceIdForm = "an EC2 instance id: i- followed by 8 or 17 lowercase hex digits, e.g. i-0123456789abcdef0";
    public const string VolumeIdForm = "an EBS volume id: vol- followed by 8 or 17 lowercase hex digits, e.g. vol-0123456789abcdef0";

    public static InstanceSettings Read(ConfigMapping instance) => new(
        InstanceId: instance.RequiredMatch("instance_id", InstanceIdPattern(), InstanceIdForm),
        VolumeId: instance.RequiredMatch("volume_id", VolumeIdPattern(), VolumeIdForm),
        GInstanceName: instance.RequiredText("g_instance_name", "the prefix of the snapshots' Name tag, e.g. pro-sql-db1-"),
        LockFilename: instance.RequiredPath("lock_filename", "the path of the lock file, e.g. /tmp/db-snapshoot-locking.lock"),
        TagRole: instance.RequiredText("tag_role", "the value of the snapshots' role tag, e.g. sql"),
        TagSchema: instance.RequiredText("tag_schema", "the value of the snapshots' schema tag"),
        TagEnvironment: instance.RequiredText("tag_environment", "the value of the snapshots' Environment tag, e.g. pro"),
        Retention: TimeSpan.FromSeconds(instance.Int("retention_seconds", 250_000, 1, int.MaxValue,
            "a whole number of seconds greater than 0")));

    /// <summary>instance.availability_zone and instance.device_directory, for restore and drill.</summary>
    public static PlacementSettings ReadPlacement(ConfigMapping instance)
    {
        var zone = instance.OptionalMatch("availability_zone", ZonePattern(), "an availability zone such as eu-west-1a");
        return new PlacementSettings(
            zone,
            instance.OptionalPath("device_directory", "where attached volumes appear by id, e.g. " + PlacementSettings.DefaultDeviceDirectory)
                ?? PlacementSettings.DefaultDeviceDirectory);
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$", RegexOptions.CultureInvariant)]
    private static partial Regex ZonePattern();

    [GeneratedRegex("^i-[0-9a-f]{8}([0-9a-f]{9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceIdPattern();

    [GeneratedRegex("^vol-[0-9a-f]{8}([0-9a-f]{9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex VolumeIdPattern();
}
