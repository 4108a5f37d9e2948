namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>The consistency: section: stop by default, online with its two keys, bad values named.</summary>
public sealed class ConsistencyConfigTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    [Fact]
    public void Without_the_section_the_mode_is_stop_as_before()
    {
        var settings = ConfigLoader.Load(_files.Write("config.yml", SampleConfigs.Original), SampleConfigs.Environment()).Settings;

        Assert.Equal(new ConsistencySettings(ConsistencyMode.Stop, false, TimeSpan.FromSeconds(30)), settings.Consistency);
        Assert.False(settings.Consistency.IsOnline);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original + """
            consistency:
              mode: online
              freeze_filesystem: true
              max_block_seconds: 12

            """);

        var settings = ConfigLoader.Load(path, SampleConfigs.Environment()).Settings;

        Assert.Equal(new ConsistencySettings(ConsistencyMode.Online, true, TimeSpan.FromSeconds(12)), settings.Consistency);
    }

    [Theory]
    [InlineData("mode: hot", "consistency.mode", "expected one of stop, online")]
    [InlineData("max_block_seconds: 0", "consistency.max_block_seconds", "out of range")]
    [InlineData("max_block_seconds: 601", "consistency.max_block_seconds", "out of range")]
    [InlineData("max_block_seconds: '5'", "consistency.max_block_seconds", "quoted")]
    [InlineData("freeze_filesystem: yes", "consistency.freeze_filesystem", "expected true or false")]
    [InlineData("freeze_filesystem: true", "consistency.freeze_filesystem", "mode: online only")]
    [InlineData("max_block: 5", "max_block", "max_block_seconds")]
    public void A_bad_value_is_refused_naming_its_key_and_line(string line, string key, string why)
    {
        var text = SampleConfigs.Original + $"consistency:\n  {line}\n";
        var lineNumber = text.Split('\n').Length - 1;

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(_files.Write("config.yml", text), SampleConfigs.Environment()));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains($", line {lineNumber}", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadConfiguration, error.ExitCode);
    }

    public void Dispose() => _files.Dispose();
}
