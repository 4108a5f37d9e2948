namespace OfflineBackup.Tests.Unit.Configuration;

public sealed class ValidConfigTests : ConfigFileTests
{
    [Fact]
    public void OriginalFile_LoadsWithEveryDefault()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original);

        var (settings, warnings) = ConfigLoader.Load(path, SampleConfigs.Environment());

        Assert.Empty(warnings);
        Assert.Equal(path, settings.SourcePath);
        var mysql = settings.MySql;
        Assert.Equal(("localhost", "monitor", 3306, "XXXXXXXXXXXXX", "", TimeSpan.FromSeconds(10)),
            (mysql.Host, mysql.User, mysql.Port, mysql.Password.Reveal(), mysql.Db, mysql.ConnectTimeout));
        Assert.Equal(new InstanceSettings("i-0123456789abcdef0", "vol-0123456789abcdef0", "pro-sql-XXXXXXXX-",
            "/tmp/db-snapshoot-locking.lock", "sql", "XXXXXXXXXX", "pro", TimeSpan.FromSeconds(250_000)), settings.Instance);
        Assert.Equal(new AwsSettings(null, null), settings.Aws);
        Assert.Equal(new ServiceSettings("systemctl stop mysql", "systemctl start mysql", TimeSpan.FromSeconds(600),
            TimeSpan.FromSeconds(600), null, RestartAfter.Completed, TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(10)), settings.Service);
        Assert.Equal(new GuardSettings(TimeSpan.FromHours(3), TimeSpan.FromHours(24), TimeSpan.FromMinutes(45)), settings.Guards);
        Assert.Equal(new RetentionSettings(3, 10, false), settings.Retention);
        Assert.Equal(new StateSettings("/var/lib/offline-backup/journal.json"), settings.State);
        Assert.Equal(new LoggingSettings(null), settings.Logging);
        Assert.Null(settings.Metrics.Textfile);
    }

    [Fact]
    public void MetricsTextfile_IsRead()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original + "metrics:\n  textfile: /var/lib/prometheus/node-exporter/offline_backup.prom\n");

        var settings = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings;

        Assert.Equal("/var/lib/prometheus/node-exporter/offline_backup.prom", settings.Metrics.Textfile);
    }

    [Fact]
    public void EveryOptionalKey_IsRead()
    {
        var path = _files.Write("config.yml", """
            mysql:
              host: 10.0.0.5
              user: backup
              port: 3307
              db: shop
              connect_timeout_seconds: 5
            instance:
              instance_id: i-0a1b2c3d
              volume_id: vol-0a1b2c3d
              g_instance_name: pro-sql-db1-
              lock_filename: /run/offline-backup.lock
              tag_role: sql
              tag_schema: shop
              tag_environment: pro
              retention_seconds: 86400
            aws:
              region: eu-west-1
              endpoint_url: http://127.0.0.1:5005/
            service:
              stop_command: /usr/local/bin/stop-db --now
              start_command: service mariadb start
              stop_timeout_seconds: 120
              start_timeout_seconds: 300
              pid_file: /run/mysqld/mysqld.pid
              restart_after: pending
              snapshot_wait_timeout_seconds: 7200
              snapshot_poll_seconds: 3
              preflush: false
              preflush_timeout_seconds: 60
            guards:
              max_lag_seconds: 600
              min_snapshot_age_hours: 12
              age_tolerance_minutes: 0
            retention:
              min_keep: 5
              max_deletes: 2
              adopt_legacy: true
            state:
              journal_path: /srv/backup/journal.json
            logging:
              file: /var/log/offline-backup.log

            """);

        var (settings, warnings) = ConfigLoader.Load(path, SampleConfigs.Environment());

        Assert.Empty(warnings);
        var mysql = settings.MySql;
        Assert.Equal(("10.0.0.5", "backup", 3307, true, "shop", TimeSpan.FromSeconds(5)),
            (mysql.Host, mysql.User, mysql.Port, mysql.Password.IsEmpty, mysql.Db, mysql.ConnectTimeout));
        Assert.Equal(new InstanceSettings("i-0a1b2c3d", "vol-0a1b2c3d", "pro-sql-db1-", "/run/offline-backup.lock",
            "sql", "shop", "pro", TimeSpan.FromDays(1)), settings.Instance);
        Assert.Equal(new AwsSettings("eu-west-1", new Uri("http://127.0.0.1:5005/")), settings.Aws);
        Assert.Equal(new ServiceSettings("/usr/local/bin/stop-db --now", "service mariadb start", TimeSpan.FromMinutes(2),
            TimeSpan.FromMinutes(5), "/run/mysqld/mysqld.pid", RestartAfter.Pending, TimeSpan.FromHours(2), TimeSpan.FromSeconds(3))
            { PreFlush = false, PreFlushTimeout = TimeSpan.FromMinutes(1) }, settings.Service);
        Assert.Equal(new GuardSettings(TimeSpan.FromMinutes(10), TimeSpan.FromHours(12), TimeSpan.Zero), settings.Guards);
        Assert.Equal(new RetentionSettings(5, 2, true), settings.Retention);
        Assert.Equal(new StateSettings("/srv/backup/journal.json"), settings.State);
        Assert.Equal(new LoggingSettings("/var/log/offline-backup.log"), settings.Logging);
    }

    [Fact]
    public void EmptyOrNullValues_MeanTheDefault()
    {
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword()
            .Replace("host: localhost", "host:", StringComparison.Ordinal)
            .Replace("port: 3306", "port: ~", StringComparison.Ordinal)
            .Replace("db: ''", "db:", StringComparison.Ordinal) + """
            aws:
              region: null
            service:
            guards: {}
            retention:
              min_keep:

            """);

        var settings = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings;

        Assert.Equal(("localhost", 3306, ""), (settings.MySql.Host, settings.MySql.Port, settings.MySql.Db));
        Assert.Null(settings.Aws.Region);
        Assert.Equal(RestartAfter.Completed, settings.Service.RestartAfter);
        Assert.Equal(TimeSpan.FromHours(24), settings.Guards.MinSnapshotAge);
        Assert.Equal(3, settings.Retention.MinKeep);
    }

    [Fact]
    public void CalendarRetention_IsReadWithItsZone_AndOffByDefault()
    {
        var plain = ConfigLoader.Load(_files.Write("plain.yml", SampleConfigs.WithoutPassword()), SampleConfigs.Environment()).Settings;
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword() + """
            retention:
              keep_daily: 7
              keep_weekly: 4
              keep_monthly: 12
              timezone: Europe/Paris

            """);

        var settings = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings;

        Assert.Equal(CalendarRules.Off, plain.Retention.Calendar);
        Assert.False(plain.Retention.Calendar.Any);
        var calendar = settings.Retention.Calendar;
        Assert.Equal((7, 4, 12, "Europe/Paris"), (calendar.KeepDaily, calendar.KeepWeekly, calendar.KeepMonthly, calendar.TimeZone.Id));
        Assert.Equal(calendar, RetentionPolicy.From(settings).Calendar);
    }

    [Fact]
    public void CopySection_IsReadWithItsOwnRetention_DefaultingToTheSources()
    {
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword() + """
            aws:
              region: eu-west-1
            copy:
              region: eu-central-1
              kms_key_id: alias/offline-backup-copies
              keep_monthly: 12

            """);

        var settings = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings;

        var copy = settings.Copy!;
        Assert.Equal(("eu-central-1", "alias/offline-backup-copies", (Uri?)null), (copy.Region, copy.KmsKeyId, copy.EndpointUrl));
        Assert.Equal((settings.Instance.Retention, 3, 10), (copy.Retention, copy.MinKeep, copy.MaxDeletes));
        Assert.Equal(CalendarRules.Off with { KeepMonthly = 12 }, copy.Calendar);
        Assert.Null(ConfigLoader.Load(_files.Write("plain.yml", SampleConfigs.WithoutPassword()), SampleConfigs.Environment()).Settings.Copy);
    }

    [Theory]
    [InlineData("i-0123abcd", "vol-0123abcd")]
    [InlineData("i-0123456789abcdef0", "vol-0123456789abcdef0")]
    public void ShortAndLongIds_AreAccepted(string instanceId, string volumeId)
    {
        var path = _files.Write("config.yml", SampleConfigs.Original
            .Replace("i-0123456789abcdef0", instanceId, StringComparison.Ordinal)
            .Replace("vol-0123456789abcdef0", volumeId, StringComparison.Ordinal));

        var instance = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings.Instance;

        Assert.Equal((instanceId, volumeId), (instance.InstanceId, instance.VolumeId));
    }

    [Fact]
    public void PlainScalarsThatLookLikeNumbers_StayText_ForTextKeys()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original
            .Replace("tag_schema: XXXXXXXXXX", "tag_schema: 0123", StringComparison.Ordinal)
            .Replace("'XXXXXXXXXXXXX'", "007", StringComparison.Ordinal));

        var settings = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings;

        Assert.Equal("0123", settings.Instance.TagSchema);
        Assert.Equal("007", settings.MySql.Password.Reveal());
    }

    [Fact]
    public void RelativePath_IsReportedAsTheFullPath()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);

        var settings = ConfigLoader.Load(relative, SampleConfigs.Environment()).Settings;

        Assert.Equal(path, settings.SourcePath);
    }

    [Theory]
    [InlineData("/cli.yml", "/env.yml", "/cli.yml")]
    [InlineData(null, "/env.yml", "/env.yml")]
    [InlineData(null, null, ConfigLoader.DefaultPath)]
    [InlineData("", "", ConfigLoader.DefaultPath)]
    public void ResolvePath_PrefersTheCommandLine_ThenTheEnvironment(string? explicitPath, string? variable, string expected)
    {
        var environment = SampleConfigs.Environment((ConfigLoader.PathVariable, variable!));

        Assert.Equal(expected, ConfigLoader.ResolvePath(explicitPath, environment));
    }

    [Fact]
    public void The_bounded_waits_are_read_from_aws_and_service()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original
            + "aws:\n  region: eu-west-1\n  request_timeout_seconds: 7\n  max_attempts: 5\nservice:\n  max_down_seconds: 90\n");

        var (settings, _) = ConfigLoader.Load(path, SampleConfigs.Environment());

        Assert.Equal(new AwsSettings("eu-west-1", null, TimeSpan.FromSeconds(7), 5), settings.Aws);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.Service.MaxDown);
    }

    [Fact]
    public void The_bounded_waits_default_to_20s_3_attempts_and_40s_down()
    {
        Assert.Equal((TimeSpan.FromSeconds(20), 3), (AwsSettings.DefaultRequestTimeout, AwsSettings.DefaultMaxAttempts));
        Assert.Equal(TimeSpan.FromSeconds(40), ServiceSettings.DefaultMaxDown);
    }
}
