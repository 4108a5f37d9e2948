namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>No message, warning or ToString may carry the password, whatever is wrong around it.</summary>
public sealed class SecretLeakTests : ConfigFileTests
{
    private const string Secret = SampleConfigs.Password;

    public static TheoryData<string, string, string> BrokenAroundThePassword => new()
    {
        { "unterminated quote", $"  password: '{Secret}\n", "" },
        { "unknown escape", $"  password: \"{Secret}\\q\"\n", "" },
        { "list", $"  password: [{Secret}]\n", "" },
        { "mapping", $"  password: {{ value: {Secret} }}\n", "" },
        { "duplicate", $"  password: {Secret}\n  password: {Secret}\n", "" },
        { "later error", $"  password: {Secret}\n  port: many\n", "" },
        { "option file bad line", "  option_file: {source}\n", $"[client]\n{Secret} without equals\n" },
        { "option file no client group", "  option_file: {source}\n", $"[mysql]\npassword={Secret}\n" },
        { "password file two lines", "  password_file: {source}\n", $"{Secret}\n{Secret}\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenAroundThePassword))]
    public void ErrorMessages_NeverContainThePassword(string name, string mysqlLines, string sourceContent)
    {
        var source = _files.Write("source", sourceContent);
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword(mysqlLines.Replace("{source}", source, StringComparison.Ordinal)));

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, SampleConfigs.Environment()));

        Assert.Equal(ExitCodes.BadConfiguration, error.ExitCode);
        Assert.False(error.Message.Contains(Secret, StringComparison.Ordinal), $"{name}: {error.Message}");
    }

    [Theory]
    [InlineData("guards:\n  password: {0}\n")]
    [InlineData("password: {0}\n")]
    public void MisplacedPassword_IsNamedButNotShown(string appended)
    {
        var path = _files.Write("config.yml", SampleConfigs.Original + string.Format(System.Globalization.CultureInfo.InvariantCulture, appended, Secret));

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, SampleConfigs.Environment()));

        Assert.Contains("password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yaml")]
    [InlineData("password_file")]
    [InlineData("option_file")]
    [InlineData("environment")]
    public void LoadedSettingsAndWarnings_NeverContainThePassword(string source)
    {
        var mysqlLine = source switch
        {
            "yaml" => $"  password: '{Secret}'\n",
            "password_file" => $"  password_file: {_files.Write("pw", Secret + "\n", ConfigFiles.WorldReadable)}\n",
            "option_file" => $"  option_file: {_files.Write("my.cnf", $"[client]\npassword=\"{Secret}\"\n", ConfigFiles.WorldReadable)}\n",
            _ => "",
        };
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword(mysqlLine), ConfigFiles.WorldReadable);
        var environment = source == "environment"
            ? SampleConfigs.Environment((ConfigLoader.PasswordVariable, Secret))
            : SampleConfigs.Environment();

        var loaded = ConfigLoader.Load(path, environment);

        Assert.Equal(Secret, loaded.Settings.MySql.Password.Reveal());
        Assert.Contains("Password = ********", loaded.Settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, loaded.Settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, loaded.ToString(), StringComparison.Ordinal);
        Assert.All(loaded.Warnings, w => Assert.DoesNotContain(Secret, w, StringComparison.Ordinal));
        Assert.Equal(source == "environment" ? 0 : 1, loaded.Warnings.Count);
    }
}
