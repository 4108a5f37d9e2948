namespace OfflineBackup.Tests.Unit.Configuration;

public sealed class MalformedConfigTests : ConfigFileTests
{
    public static TheoryData<string> CaseNames => [.. MalformedConfigCorpus.Cases.Keys];

    [Fact]
    public void Corpus_HoldsAtLeastTwentyConfigs() => Assert.True(MalformedConfigCorpus.Cases.Count >= 20);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MalformedConfig_ExitsTwo_NamingFileKeyLineAndExpectedForm(string name)
    {
        var (yaml, key, line, expected) = MalformedConfigCorpus.Cases[name];
        var path = _files.Write("config.yml", yaml);

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, SampleConfigs.Environment()));

        Assert.Equal(ExitCodes.BadConfiguration, error.ExitCode);
        Assert.StartsWith($"config file {path}", error.Message, StringComparison.Ordinal);
        if (line is null)
        {
            Assert.DoesNotContain(", line ", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($", line {line}", error.Message, StringComparison.Ordinal);
        }

        if (key is not null)
        {
            Assert.Contains($", key {key}: ", error.Message, StringComparison.Ordinal);
        }

        foreach (var phrase in expected)
        {
            Assert.Contains(phrase, error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void MissingFile_NamesTheFile()
    {
        var path = Path.Combine(_files.Root, "absent.yml");

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, SampleConfigs.Environment()));

        Assert.Equal(ExitCodes.BadConfiguration, error.ExitCode);
        Assert.Equal($"config file {path}: the file does not exist", error.Message);
    }

    [Fact]
    public void DirectoryInsteadOfFile_SaysSo()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(_files.Root, SampleConfigs.Environment()));

        Assert.Equal($"config file {_files.Root}: the file is a directory, expected a file", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \n")]
    [InlineData("# only a comment\n# and another\n")]
    [InlineData("---\n")]
    public void EmptyFile_SaysWhatItShouldHold(string text)
    {
        var path = _files.Write("config.yml", text);

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, SampleConfigs.Environment()));

        Assert.Equal(ExitCodes.BadConfiguration, error.ExitCode);
        Assert.Equal($"config file {path}: the file is empty; expected at least the mysql: and instance: sections (see config.example.yml)", error.Message);
    }

    [Fact]
    public void EmptyPath_IsAConfigurationError()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(" ", SampleConfigs.Environment()));

        Assert.Equal(ExitCodes.BadConfiguration, error.ExitCode);
    }
}
