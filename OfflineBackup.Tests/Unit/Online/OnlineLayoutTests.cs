using OfflineBackup.Configuration;
using OfflineBackup.MySql;
using OfflineBackup.Pipeline;

namespace OfflineBackup.Tests.Unit.Online;

/// <summary>The preflight's reading of the server's paths, and its verdicts, over hand-made devices.</summary>
public sealed class OnlineLayoutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offline-backup-online-").FullName;

    public static TheoryData<string?, string?, string?, string?, string?, string> Layouts => new()
    {
        // MariaDB's defaults: NULL data home, ./ for redo and undo, no binary log, relay log in the data directory.
        { null, "./", "./", null, null, "datadir=/data|innodb_data_home_dir=/data|innodb_log_group_home_dir=/data|innodb_undo_directory=/data|relay_log_basename=/data" },
        { "", "redo", "/undo", "/binlogs/mysql-bin", "/data/relay-bin", "datadir=/data|innodb_data_home_dir=/data|innodb_log_group_home_dir=/data/redo|innodb_undo_directory=/undo|log_bin_basename=/binlogs|relay_log_basename=/data" },
        { "/ibdata/", "/data/../redo/", "", "mysql-bin", "/var/log/mysql/relay", "datadir=/data|innodb_data_home_dir=/ibdata|innodb_log_group_home_dir=/redo|innodb_undo_directory=/data|log_bin_basename=/data|relay_log_basename=/var/log/mysql" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Every_path_variable_resolves_to_a_directory(string? dataHome, string? redo, string? undo, string? binlog, string? relay, string expected)
    {
        var paths = ServerLayoutReader.Resolve(new Dictionary<string, string?>
        {
            ["datadir"] = "/data/",
            ["innodb_data_home_dir"] = dataHome,
            ["innodb_log_group_home_dir"] = redo,
            ["innodb_undo_directory"] = undo,
            ["log_bin_basename"] = binlog,
            ["relay_log_basename"] = relay,
        });

        Assert.Equal(expected, string.Join('|', paths.Select(p => $"{p.Variable}={p.Directory}")));
    }

    [Fact]
    public void Non_transactional_user_tables_and_a_non_innodb_gtid_slave_pos_are_warned_about_by_name()
    {
        foreach (var file in new[] { "shop/orders.ibd", "shop/legacy.MYD", "shop/my@002dlog.MAD", "mysql/gtid_slave_pos.MAD", "mysql/user.MAD" })
        {
            Directory.CreateDirectory(Path.Combine(_directory, Path.GetDirectoryName(file)!));
            File.WriteAllText(Path.Combine(_directory, file), "");
        }

        var warnings = ServerLayoutReader.Warnings(ServerFlavor.Parse("10.11.19-MariaDB"), _directory, "0");

        Assert.Equal(2, warnings.Count);
        Assert.EndsWith(": shop.legacy (MyISAM), shop.my-log (Aria)", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("mysql.gtid_slave_pos is Aria, not transactional", warnings[1], StringComparison.Ordinal);
        Assert.Contains(ServerLayoutReader.Warnings(ServerFlavor.Parse("8.0.36"), _directory, "0"), w => w.StartsWith("relay_log_recovery is OFF", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, bool, string?, int, string> Verdicts => new()
    {
        // relay log device, disk of the data device, freeze, freeze refusal, exit code, detail fragment
        { "7:5", "loop5", false, null, 0, "is on vol-0123456789abcdef0 (loop5, device 7:5)" },
        { "8:1", "loop5", false, null, 2, "relay_log_basename /relay (device 8:1)" },
        { "7:5", "nvme0n1", false, null, 2, "is on nvme0n1, but vol-0123456789abcdef0 (instance.volume_id) is loop5" },
        { "7:5", "loop5", true, "refusing to freeze the filesystem holding /data: it is the root filesystem (/)", 2, "it is the root filesystem (/)" },
        { "7:5", "loop5", true, null, 0, "its filesystem may be frozen" },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void The_preflight_refuses_what_a_snapshot_would_miss_or_a_freeze_would_hang(
        string relayDevice, string dataDisk, bool freeze, string? freezeRefusal, int exitCode, string detail)
    {
        var settings = TestSettings.Create(_directory) with
        {
            Consistency = new ConsistencySettings(ConsistencyMode.Online, freeze, TimeSpan.FromSeconds(30)),
        };
        var layout = new ServerLayout(ServerFlavor.Parse("10.11.19-MariaDB"), "/data",
            [new("datadir", "/data"), new("innodb_log_group_home_dir", "/data"), new("relay_log_basename", "/relay")], ["a warning"], []);
        var devices = new HostDevices(
            path => path == "/relay" ? relayDevice : "7:5",
            device => device == "7:5" ? dataDisk : "sda",
            link => link.EndsWith("vol0123456789abcdef0", StringComparison.Ordinal) ? "loop5" : null);

        var result = OnlinePreflight.Evaluate(layout, settings, devices, _ => freezeRefusal);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(detail, result.Detail, StringComparison.Ordinal);
        Assert.Equal(["a warning"], result.Warnings);
    }

    [Fact]
    public void Without_a_link_for_the_volume_the_preflight_says_it_checked_the_filesystem_only()
    {
        var settings = TestSettings.Create(_directory) with { Consistency = new ConsistencySettings(ConsistencyMode.Online, false, TimeSpan.FromSeconds(30)) };
        var layout = new ServerLayout(ServerFlavor.Parse("10.11.19-MariaDB"), "/data", [new("datadir", "/data")], [], []);

        var result = OnlinePreflight.Evaluate(layout, settings, new HostDevices(_ => "202:16", _ => "xvdb", _ => null), null);

        Assert.True(result.Passed);
        Assert.Contains("has no link", result.Detail, StringComparison.Ordinal);
        Assert.Contains("could not be checked", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_position_file_starts_with_the_tag_then_key_value_lines()
    {
        var text = PositionFile.Render("gtid:0-1-42", "run-1", new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero), "10.0.0.5");

        Assert.Equal("gtid:0-1-42\nrun_id=run-1\ntaken_at=2026-11-29T02:00:00.000Z\nsource_host=10.0.0.5\n", text);
        Assert.Equal("0-1-42", OfflineBackup.Restore.ReplicaPosition.Parse(text.Split('\n')[0], "test")!.GtidSet);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
