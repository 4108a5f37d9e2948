namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>
/// The shared config writer (<see cref="ToolConfig"/>) that the tests, the bench and the sandbox
/// use: what it writes, the tool's own loader reads back as meant, even where YAML has
/// something to say about a character.
/// </summary>
public sealed class ToolConfigTests : IDisposable
{
    private const string Awkward = "it's \"quoted\": #not a comment, $HOME, [a, b] {c}\\n";
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Every_setting_written_is_read_back_by_the_tool_as_written()
    {
        var files = new ToolFiles(_directory.Path);
        var config = TestConfig.For(files, 3307, Awkward, new Uri("http://127.0.0.1:4567/")) with
        {
            MySqlHost = "10.0.0.5",
            StopCommand = "systemctl stop 'mysql' && echo \"$?\" # done",
            StartCommand = "true",
            PidFile = "/run/mysqld/mysqld.pid",
            GInstanceName = "pro-sql-db1-",
            TagEnvironment = "true",
            LogFile = files.Log,
            MetricsTextfile = files.Path("offline_backup.prom"),
        };

        await config.WriteAsync(files.Config, CancellationToken.None);
        var settings = ConfigLoader.Load(files.Config, _ => null).Settings;

        Assert.Equal(("10.0.0.5", "monitor", 3307, Awkward, "", TimeSpan.FromSeconds(10)),
            (settings.MySql.Host, settings.MySql.User, settings.MySql.Port, settings.MySql.Password.Reveal(), settings.MySql.Db, settings.MySql.ConnectTimeout));
        Assert.Equal(config.Instance, settings.Instance);
        Assert.Equal(new AwsSettings("us-east-1", new Uri("http://127.0.0.1:4567/")), settings.Aws);
        Assert.Equal(new ServiceSettings(config.StopCommand, "true", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), "/run/mysqld/mysqld.pid",
            RestartAfter.Completed, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)), settings.Service);
        Assert.Equal(TimeSpan.FromSeconds(10800), settings.Guards.MaxLag);
        Assert.Equal(new RetentionSettings(3, 10, false), settings.Retention);
        Assert.Equal(new StateSettings(files.Journal), settings.State);
        Assert.Equal(new LoggingSettings(files.Log), settings.Logging);
        Assert.Equal(new MetricsSettings(files.Path("offline_backup.prom")), settings.Metrics);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.Config));
    }

    [Fact]
    public async Task A_password_file_holds_the_password_and_unset_settings_keep_the_tools_defaults()
    {
        var files = new ToolFiles(_directory.Path);
        var config = new ToolConfig
        {
            MySqlPort = 3306,
            MySqlUser = "monitor",
            MySqlPassword = Awkward,
            PasswordFile = files.PasswordFile,
            LockFile = files.Lock,
            JournalFile = files.Journal,
            Comment = "written by a test",
        };

        await config.WriteAsync(files.Config, CancellationToken.None);
        var settings = ConfigLoader.Load(files.Config, _ => null).Settings;
        var text = await File.ReadAllTextAsync(files.Config);

        Assert.StartsWith("# written by a test\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("quoted", text, StringComparison.Ordinal);
        Assert.Equal(Awkward, settings.MySql.Password.Reveal());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.PasswordFile));
        Assert.Equal(new ServiceSettings("true", "true", TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(600), null,
            RestartAfter.Completed, TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(10)), settings.Service);
        Assert.Equal(new RetentionSettings(3, 10, false), settings.Retention);
        Assert.Equal(new LoggingSettings(null), settings.Logging);
        Assert.Equal(MetricsSettings.Off, settings.Metrics);
    }

    public void Dispose() => _directory.Dispose();
}
