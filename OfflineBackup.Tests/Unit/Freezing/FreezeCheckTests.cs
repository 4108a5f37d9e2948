using OfflineBackup.Freezing;

namespace OfflineBackup.Tests.Unit.Freezing;

/// <summary>
/// The freeze check over a mount table written here as /proc/self/mountinfo text: which mount a
/// path resolves through, and the refusals the online preflight shows in `check`.
/// </summary>
public sealed class FreezeCheckTests
{
    // Root on 259:1; the data volume (259:3) on /data, a bind mount of its state directory on
    // /var/lib/offline-backup, a second filesystem (259:4) on /data/binlogs; /database is a
    // bind mount of a directory of the root filesystem; /tmp is a tmpfs; a space is \040.
    private const string Host = """
        22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw
        23 22 0:21 / /proc rw,nosuid shared:2 - proc proc rw
        30 22 0:30 / /tmp rw,nosuid shared:9 - tmpfs tmpfs rw
        41 22 259:3 / /data rw,relatime shared:20 - xfs /dev/nvme1n1 rw
        42 41 259:4 / /data/binlogs rw,relatime shared:21 - ext4 /dev/nvme2n1 rw
        43 22 259:3 /state /var/lib/offline-backup rw,relatime shared:20 - xfs /dev/nvme1n1 rw
        44 22 259:1 /srv/db /database rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw
        45 22 259:5 / /mnt/my\040disk rw,relatime shared:22 - ext4 /dev/nvme3n1 rw
        a line that is not mountinfo
        """;

    private static readonly MountTable Mounts = MountTable.Parse(Host);

    [Theory]
    [InlineData("/data/mysql/ibdata1", "/data")]
    [InlineData("/data", "/data")]
    [InlineData("/data/binlogs/mysql-bin.000001", "/data/binlogs")]
    [InlineData("/database/ibdata1", "/database")]
    [InlineData("/datafile", "/")]
    [InlineData("/mnt/my disk/x", "/mnt/my disk")]
    [InlineData("/", "/")]
    public void A_path_resolves_through_the_deepest_mount_holding_it_by_whole_components(string path, string mountPoint)
    {
        Assert.Equal(mountPoint, Mounts.Holding(path)!.MountPoint);
    }

    [Fact]
    public void A_mount_made_over_an_earlier_one_hides_it_and_what_was_mounted_below_it()
    {
        var table = MountTable.Parse(Host + "\n50 22 259:9 / /data rw - ext4 /dev/nvme9n1 rw");

        Assert.Equal("259:9", table.Holding("/data/mysql")!.Device);
        Assert.Equal("259:9", table.Holding("/data/binlogs/x")!.Device);
    }

    [Fact]
    public void A_data_directory_on_its_own_filesystem_with_the_tools_files_elsewhere_is_allowed()
    {
        var verdict = FreezeCheck.Evaluate(Mounts, "/data/mysql", ["/var/lock/offline-backup.lock", "/var/lib/offline-backup-journal.json", "/tmp/x.prom"]);

        Assert.True(verdict.Allowed);
        Assert.Equal(("/data", "259:3", "/dev/nvme1n1"), (verdict.Mount!.MountPoint, verdict.Mount.Device, verdict.Mount.Source));
    }

    [Theory]
    [InlineData("/var/lib/mysql")]
    [InlineData("/")]
    public void The_root_filesystem_is_refused_naming_the_path(string path)
    {
        var verdict = FreezeCheck.Evaluate(Mounts, path, []);

        Assert.False(verdict.Allowed);
        Assert.Equal(
            $"refusing to freeze the filesystem holding {path}: it is the root filesystem (/), which the system, its logs and this tool write to, "
            + "so freezing it would hang the host. Put the data directory on a filesystem of its own, or set freeze_filesystem: false",
            verdict.Refusal);
    }

    [Fact]
    public void A_bind_mount_of_a_directory_of_the_root_filesystem_is_the_root_filesystem()
    {
        var verdict = FreezeCheck.Evaluate(Mounts, "/database/mysql", []);

        Assert.False(verdict.Allowed);
        Assert.StartsWith("refusing to freeze the filesystem holding /database/mysql: /database is a bind mount of the root filesystem (device 259:1",
            verdict.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tools_own_files_on_that_filesystem_are_refused_and_each_is_named()
    {
        var verdict = FreezeCheck.Evaluate(Mounts, "/data/mysql", ["/data/offline-backup.lock", "/tmp/metrics.prom", "/var/lib/offline-backup/journal.json", ""]);

        Assert.False(verdict.Allowed);
        Assert.Equal(
            "refusing to freeze the filesystem holding /data/mysql (mounted on /data, /dev/nvme1n1): it also holds /data/offline-backup.lock, "
            + "/var/lib/offline-backup/journal.json, which this tool writes while the filesystem is frozen, so the run would hang on its own write. "
            + "Move them to another filesystem (the lock, journal, log and metrics paths in the configuration), or set freeze_filesystem: false",
            verdict.Refusal);
    }

    [Fact]
    public void A_file_on_a_filesystem_mounted_inside_the_data_volume_is_not_on_it()
    {
        Assert.True(FreezeCheck.Evaluate(Mounts, "/data/mysql", ["/data/binlogs/offline-backup.log"]).Allowed);
        Assert.False(FreezeCheck.Evaluate(Mounts, "/data/binlogs", ["/data/binlogs/offline-backup.log"]).Allowed);
    }

    [Fact]
    public void A_table_without_any_mount_holding_the_path_is_a_refusal_not_a_guess()
    {
        var verdict = FreezeCheck.Evaluate(MountTable.Parse("41 22 259:3 / /data rw - xfs /dev/nvme1n1 rw"), "/srv/mysql", []);

        Assert.Null(verdict.Mount);
        Assert.Equal("cannot freeze the filesystem holding /srv/mysql: no mount in /proc/self/mountinfo holds it", verdict.Refusal);
    }
}
