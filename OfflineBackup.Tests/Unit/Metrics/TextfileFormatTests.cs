using OfflineBackup.Metrics;

namespace OfflineBackup.Tests.Unit.Metrics;

/// <summary>The text format both ways: what prometheus-net renders is what the parser reads back.</summary>
public sealed class TextfileFormatTests
{
    [Fact]
    public async Task Rendered_values_and_awkward_labels_read_back_unchanged()
    {
        var set = new MetricSet();
        set.Set(MetricCatalog.GuardOk, 1, "a \"quoted\" \\ guard\nwith a newline");
        set.Set(MetricCatalog.LastRunTimestamp, 1795000000.125, "run");
        set.Set(MetricCatalog.MySqlUnavailable, 0.000012345);
        set.Set(MetricCatalog.ReplicaLag, 0);

        var text = System.Text.Encoding.UTF8.GetString(await TextfileRenderer.RenderAsync(set, "vol-1", "i-1", CancellationToken.None));
        var back = TextfileParser.Parse(text, "vol-1", "i-1");

        Assert.Equal(1, back.Get(MetricCatalog.GuardOk, "a \"quoted\" \\ guard\nwith a newline"));
        Assert.Equal(1795000000.125, back.Get(MetricCatalog.LastRunTimestamp, "run"));
        Assert.Equal(0.000012345, back.Get(MetricCatalog.MySqlUnavailable));
        Assert.Equal(0, back.Get(MetricCatalog.ReplicaLag));
        Assert.Equal(4, back.Samples.Count);
        Assert.Contains("offline_backup_last_run_timestamp_seconds{command=\"run\",volume_id=\"vol-1\",instance_id=\"i-1\"}", text);
    }

    [Fact]
    public async Task Every_family_is_declared_even_with_no_value_and_only_set_values_are_written()
    {
        var text = System.Text.Encoding.UTF8.GetString(await TextfileRenderer.RenderAsync(new MetricSet(), "vol-1", "i-1", CancellationToken.None));

        foreach (var family in MetricCatalog.All)
        {
            Assert.Contains($"# TYPE {family.Name} gauge\n", text);
        }

        Assert.DoesNotContain(text.Split('\n'), line => line.Length > 0 && !line.StartsWith('#'));
    }

    [Theory]
    [InlineData("offline_backup_replica_lag_seconds{volume_id=\"vol-1\",instance_id=\"i-1\" 3")]
    [InlineData("offline_backup_replica_lag_seconds{volume_id=\"vol-1\",instance_id=\"i-1\"} three")]
    [InlineData("offline_backup_replica_lag_seconds{volume_id=vol-1} 3")]
    [InlineData("{volume_id=\"vol-1\"} 3")]
    [InlineData("offline_backup_replica_lag_seconds")]
    public void A_line_out_of_the_format_is_refused(string line) =>
        Assert.Throws<FormatException>(() => TextfileParser.Parse("# HELP x y\n" + line + "\n", "vol-1", "i-1"));

    [Fact]
    public void Unknown_families_and_wrong_labels_are_dropped()
    {
        var set = TextfileParser.Parse(
            "offline_backup_retired_metric{volume_id=\"vol-1\",instance_id=\"i-1\"} 3\n"
            + "offline_backup_guard_ok{volume_id=\"vol-1\",instance_id=\"i-1\"} 1\n"
            + "offline_backup_replica_lag_seconds{volume_id=\"vol-1\",instance_id=\"i-2\"} 1\n"
            + "offline_backup_replica_lag_seconds{volume_id=\"vol-1\",instance_id=\"i-1\"} 2 1795000000000\n",
            "vol-1",
            "i-1");

        Assert.Equal(2, Assert.Single(set.Samples).Value);
    }

    [Fact]
    public void Help_texts_need_no_escaping() =>
        Assert.All(MetricCatalog.All, f => Assert.DoesNotContain(f.Help, c => c is '\\' or '\n'));
}
