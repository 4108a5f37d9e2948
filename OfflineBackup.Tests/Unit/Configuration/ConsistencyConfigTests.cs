namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>The consistency: section: stop by default, online with its two keys (its bad values are in <see cref="MalformedConfigCorpus"/>).</summary>
public sealed class ConsistencyConfigTests : ConfigFileTests
{
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
}
