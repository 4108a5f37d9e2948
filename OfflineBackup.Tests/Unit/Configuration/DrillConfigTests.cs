namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>instance.availability_zone, instance.device_directory, the drill: and the restore: sections (their bad values are in <see cref="MalformedConfigCorpus"/>).</summary>
public sealed class DrillConfigTests : ConfigFileTests
{
    [Fact]
    public void Without_the_keys_restore_and_drill_take_their_defaults()
    {
        var settings = ConfigLoader.Load(_files.Write("config.yml", SampleConfigs.Original), SampleConfigs.Environment()).Settings;

        Assert.Equal(PlacementSettings.Default, settings.Placement);
        Assert.Equal("/var/lib/offline-backup/drill", settings.Drill.ScratchDirectory);
        Assert.Equal("/usr/sbin/mariadbd", settings.Drill.MysqldBinary);
        Assert.Equal(".", settings.Drill.DataDirectoryOnVolume);
        Assert.Equal("64M", settings.Drill.BufferPoolSize);
        Assert.Empty(settings.Drill.CountTables);
        Assert.Null(settings.Drill.EveryDays);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Drill.AttachTimeout);
        Assert.Equal(RestoreSettings.Default, settings.Restore);
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)),
            (settings.Restore.VolumeTimeout, settings.Restore.AttachTimeout, settings.Restore.DeviceTimeout));
    }

    [Fact]
    public void Every_key_is_read()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original.Replace(
            "instance:\n", "instance:\n  availability_zone: eu-west-1b\n  device_directory: /srv/by-id\n", StringComparison.Ordinal) + """
            drill:
              scratch_directory: /srv/drill
              mysqld: /usr/sbin/mysqld
              data_directory_on_volume: mysql
              buffer_pool_size: 128M
              count_tables:
                - shop.orders
                - shop.customers
              every_days: 7
              volume_timeout_seconds: 600
              attach_timeout_seconds: 120
              device_timeout_seconds: 60
              start_timeout_seconds: 900
            restore:
              volume_timeout_seconds: 7200
              attach_timeout_seconds: 900
              device_timeout_seconds: 600

            """);

        var settings = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings;

        Assert.Equal(new PlacementSettings("eu-west-1b", "/srv/by-id"), settings.Placement);
        var drill = settings.Drill;
        Assert.Equal(("/srv/drill", "/usr/sbin/mysqld", "mysql", "128M", 7), (drill.ScratchDirectory, drill.MysqldBinary, drill.DataDirectoryOnVolume, drill.BufferPoolSize, drill.EveryDays!.Value));
        Assert.Equal(["shop.orders", "shop.customers"], drill.CountTables);
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15)), (drill.VolumeTimeout, drill.DeviceTimeout, drill.StartTimeout));
        Assert.Equal(TimeSpan.FromMinutes(2), drill.AttachTimeout);
        Assert.Equal(new RestoreSettings(TimeSpan.FromHours(2), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(10)), settings.Restore);
    }
}
