using OfflineBackup.Metrics;

namespace OfflineBackup.Tests.Cli;

/// <summary>
/// A configuration broken by an edit still names its metrics file: each run records exit 2 under
/// the usual labels, so the failing alert fires; one that is not YAML at all names nothing.
/// </summary>
public sealed class MetricsOnConfigErrorTests
{
    [Fact]
    public async Task An_invalid_configuration_is_recorded_as_exit_2_run_after_run()
    {
        using var cli = new CliHarness(new TestAdapters());
        var file = cli.Files.Path("offline_backup.prom");
        await cli.WriteConfigAsync(3306, "Pw-1", null, c => c with { MaxLagSeconds = 0, MetricsTextfile = file });

        var first = await cli.RunAsync("run");
        var second = await cli.RunAsync("run");

        Assert.Equal(ExitCodes.BadConfiguration, first.ExitCode);
        Assert.Equal(ExitCodes.BadConfiguration, second.ExitCode);
        Assert.DoesNotContain("warning", second.Error, StringComparison.Ordinal);
        await Promtool.AssertValidMetricsAsync(file);
        var values = TextfileParser.Parse(File.ReadAllText(file), TestSettings.VolumeId, "i-0123456789abcdef0");
        Assert.Equal(2, values.Get(MetricCatalog.LastRunExitCode, "run"));
        Assert.Equal(2, values.Get(MetricCatalog.ConsecutiveFailures, "run"));
        Assert.Null(values.Get(MetricCatalog.MinSnapshotAge));
    }

    [Fact]
    public async Task A_configuration_that_is_not_yaml_names_no_file()
    {
        using var cli = new CliHarness(new TestAdapters());
        var file = cli.Files.Path("offline_backup.prom");
        File.WriteAllText(cli.ConfigPath, $"metrics:\n  textfile: {file}\ninstance: [unclosed\n");

        var result = await cli.RunAsync("run");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_placeholder_volume_id_writes_no_file_under_a_garbage_label()
    {
        using var cli = new CliHarness(new TestAdapters());
        var file = cli.Files.Path("offline_backup.prom");
        await cli.WriteConfigAsync(3306, "Pw-1", null, c => c with { VolumeId = "vol-XXXXXXXXXXXX", MetricsTextfile = file });

        var result = await cli.RunAsync("check");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.False(File.Exists(file));
    }
}
