namespace OfflineBackup.Tests.Unit.Configuration;

public sealed class PasswordSourceTests : ConfigFileTests
{
    [Theory]
    [InlineData(true, true, true, true, "from-env")]
    [InlineData(false, true, true, true, "from-password-file")]
    [InlineData(false, false, true, true, "from-option-file")]
    [InlineData(false, false, false, true, "from-yaml")]
    [InlineData(false, true, false, true, "from-password-file")]
    [InlineData(true, false, false, true, "from-env")]
    [InlineData(false, false, false, false, "")]
    public void Precedence_IsEnvironment_PasswordFile_OptionFile_Yaml(bool env, bool passwordFile, bool optionFile, bool yaml, string expected)
    {
        var extra = (yaml ? "  password: from-yaml\n" : "")
            + (passwordFile ? $"  password_file: {_files.Write("pw", "from-password-file\n")}\n" : "")
            + (optionFile ? $"  option_file: {_files.Write("my.cnf", "[client]\npassword=from-option-file\n")}\n" : "");
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword(extra));
        var environment = env ? SampleConfigs.Environment((ConfigLoader.PasswordVariable, "from-env")) : SampleConfigs.Environment();

        var password = ConfigLoader.Load(path, environment).Settings.MySql.Password;

        Assert.Equal(expected, password.Reveal());
        Assert.Equal(expected.Length == 0, password.IsEmpty);
    }

    [Fact]
    public void EmptyEnvironmentVariable_IsIgnored()
    {
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword("  password: from-yaml\n"));

        var password = ConfigLoader.Load(path, SampleConfigs.Environment((ConfigLoader.PasswordVariable, ""))).Settings.MySql.Password;

        Assert.Equal("from-yaml", password.Reveal());
    }

    [Theory]
    [InlineData("secret\n", "secret")]
    [InlineData("secret\r\n", "secret")]
    [InlineData("secret", "secret")]
    [InlineData(" spaced secret \n\n", " spaced secret ")]
    public void PasswordFile_LosesOnlyItsTrailingNewlines(string content, string expected)
    {
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword($"  password_file: {_files.Write("pw", content)}\n"));

        Assert.Equal(expected, ConfigLoader.Load(path, SampleConfigs.Environment()).Settings.MySql.Password.Reveal());
    }

    [Fact]
    public void TildePaths_UseHomeFromTheEnvironment()
    {
        _files.Write(".my.cnf", "[client]\npassword = home-secret\n");
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword("  option_file: ~/.my.cnf\n"));

        var password = ConfigLoader.Load(path, SampleConfigs.Environment(("HOME", _files.Root))).Settings.MySql.Password;

        Assert.Equal("home-secret", password.Reveal());
    }

    public static TheoryData<string, string, string> BrokenSources => new()
    {
        { "password_file", "missing", "does not exist" },
        { "option_file", "missing", "does not exist" },
        { "password_file", "directory", "is a directory, expected a file" },
        { "password_file", "", "is empty; expected the MySQL password" },
        { "password_file", "one\ntwo\n", "has more than one line" },
        { "option_file", "[mysqld]\npassword=x\n", "has no password= line in its [client] group" },
        { "option_file", "[client]\n!include /etc/mysql/secret.cnf\n", "(!include and !includedir are not followed)" },
        { "option_file", "[client]\npassword\n", "bare 'password'" },
        { "option_file", "[client]\nuser = monitor\nthis is not an option\n", "line 3 is not an option file line" },
        { "option_file", "password=x\n[client]\n", "line 1 is not an option file line" },
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void BrokenPasswordSource_IsAnErrorAtItsKey_EvenWhenTheEnvironmentWins(string key, string content, string expected)
    {
        var file = content switch
        {
            "missing" => Path.Combine(_files.Root, "absent"),
            "directory" => Directory.CreateDirectory(Path.Combine(_files.Root, "dir")).FullName,
            _ => _files.Write("source", content),
        };
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword($"  {key}: {file}\n"));

        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigLoader.Load(path, SampleConfigs.Environment((ConfigLoader.PasswordVariable, "from-env"))));

        Assert.Equal(ExitCodes.BadConfiguration, error.ExitCode);
        Assert.StartsWith($"config file {path}, line 5, key mysql.{key}: {file} ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TildePath_WithoutHome_IsAnError()
    {
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword("  password_file: ~/pw\n"));

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, SampleConfigs.Environment()));

        Assert.Contains("key mysql.password_file: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("HOME is not set", error.Message, StringComparison.Ordinal);
    }
}
