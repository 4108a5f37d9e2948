namespace OfflineBackup.Tests.Support;

/// <summary>Valid settings for unit tests that do not read a file; each test changes what it needs with `with`.</summary>
internal static class TestSettings
{
    public const string VolumeId = "vol-0123456789abcdef0";

    public static Settings Create(string directory) => new(
        Path.Combine(directory, "config.yml"),
        new MySqlSettings("127.0.0.1", "monitor", 3306, new Secret("s3cret-unit"), string.Empty, TimeSpan.FromSeconds(5)),
        new InstanceSettings(
            "i-0123456789abcdef0",
            VolumeId,
            "pro-sql-test-",
            Path.Combine(directory, "offline-backup.lock"),
            "sql",
            "shop",
            "pro",
            TimeSpan.FromSeconds(250000)),
        new AwsSettings("eu-west-1", null),
        new ServiceSettings("true", "true", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), null, RestartAfter.Completed, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(50)),
        new GuardSettings(TimeSpan.FromHours(3), TimeSpan.FromHours(24), TimeSpan.FromMinutes(45)),
        new RetentionSettings(3, 10, false),
        new StateSettings(Path.Combine(directory, "journal.json")),
        new LoggingSettings(Path.Combine(directory, "offline-backup.log")));
}
