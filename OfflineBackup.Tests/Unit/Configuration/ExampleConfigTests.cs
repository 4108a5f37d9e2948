namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>config.example.yml at the repository root is the configuration's documentation: it must load and stay complete.</summary>
public sealed class ExampleConfigTests : ConfigFileTests
{
    private static string ExamplePath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OfflineBackup.sln")))
                {
                    return Path.Combine(dir.FullName, "config.example.yml");
                }
            }

            throw new InvalidOperationException($"no OfflineBackup.sln above {AppContext.BaseDirectory}");
        }
    }

    [Fact]
    public void Example_Loads_WithoutWarnings()
    {
        var (settings, warnings) = ConfigLoader.Load(ExamplePath, SampleConfigs.Environment());

        Assert.Empty(warnings);
        Assert.Equal("i-0123456789abcdef0", settings.Instance.InstanceId);
        Assert.Equal("vol-0123456789abcdef0", settings.Instance.VolumeId);
    }

    [Fact]
    public void Example_WritesEveryKey_WithAComment()
    {
        var lines = File.ReadAllLines(ExamplePath);

        foreach (var (section, _, keys) in ConfigSchema.Sections)
        {
            var start = Array.IndexOf(lines, $"{section}:");
            Assert.True(start > 0, $"section {section}: is missing from the example");
            Assert.StartsWith("#", lines[start - 1].Trim(), StringComparison.Ordinal);
            var body = lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith(' ')).ToList();
            foreach (var key in keys)
            {
                var at = body.FindIndex(l => l.StartsWith($"  {key}:", StringComparison.Ordinal) || l.StartsWith($"  # {key}:", StringComparison.Ordinal));
                Assert.True(at > 0, $"{section}.{key} is missing from the example");
                Assert.StartsWith("#", body[at - 1].Trim(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Example_ShowsTheDefaults_ForEveryOptionalKeyItSets()
    {
        var example = ConfigLoader.Load(ExamplePath, SampleConfigs.Environment()).Settings;
        var minimal = ConfigLoader.Load(_files.Write("config.yml", SampleConfigs.WithoutPassword()), SampleConfigs.Environment()).Settings;

        Assert.Equal(minimal.Aws, example.Aws);
        Assert.Equal(minimal.Service, example.Service);
        Assert.Equal(minimal.Guards, example.Guards);
        Assert.Equal(minimal.Retention, example.Retention);
        Assert.Equal(minimal.State, example.State);
        Assert.Equal(minimal.Logging, example.Logging);
        Assert.Equal(minimal.Metrics, example.Metrics);
        Assert.Equal(minimal.Consistency, example.Consistency);
        Assert.Equal(minimal.Instance.Retention, example.Instance.Retention);
        Assert.Equal((minimal.MySql.Host, minimal.MySql.Port, minimal.MySql.Db, minimal.MySql.ConnectTimeout),
            (example.MySql.Host, example.MySql.Port, example.MySql.Db, example.MySql.ConnectTimeout));
    }
}
