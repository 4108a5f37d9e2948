using System.Globalization;
using OfflineBackup.Metrics;
using OfflineBackup.Tests.Sandbox;

namespace OfflineBackup.Tests.Integration.Metrics;

/// <summary>
/// The whole route: the real binary (a child process) backs up the real replica through the EC2
/// double and writes its metrics file; the real node_exporter serves it; a scrape over HTTP
/// finds that run's values and no textfile error.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class NodeExporterScrapeTests(MariaDbPairFixture fixture)
{
    private MariaDbReplicationPair Pair => fixture.Pair;

    [Fact]
    public async Task Node_exporter_serves_the_values_of_the_run_the_binary_just_made()
    {
        await using var metrics = await MetricsWorld.StartAsync(Pair);
        var (world, file) = (metrics.World, metrics.File);

        // The CLI project's own build output, not the copy beside the tests: the tests load the
        // ASP.NET shared framework (for the EC2 double), so the build leaves out of their folder
        // the assemblies that framework also carries (Microsoft.Extensions.ObjectPool, which
        // prometheus-net needs), and the copy there could not write its metrics file.
        world.Binary = RepositoryFiles.Path(Path.Combine("OfflineBackup.Cli", "bin", RepositoryFiles.Configuration, "net10.0", "offline-backup"));
        using var exporter = await NodeExporter.StartAsync(metrics.Directory);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using (var run = world.StartTool("run"))
        {
            var code = await run.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(code == ExitCodes.Success, run.ToString());
        }

        var scraped = await exporter.ScrapeAsync();

        Assert.True(File.Exists(file), "the run wrote no metrics file");
        Assert.Contains("node_textfile_scrape_error 0\n", scraped);
        Assert.True(scraped.Contains("node_textfile_mtime_seconds{file=\"" + file + "\"}", StringComparison.Ordinal), string.Join("\n", scraped.Split("\n").Where(l => l.Contains("textfile", StringComparison.Ordinal) || l.StartsWith("offline", StringComparison.Ordinal))));
        var served = MetricsWorld.Parse(scraped);
        var written = metrics.Read();
        Assert.Equal(written.Samples.Count, served.Samples.Count);
        Assert.Equal(0, served.Get(MetricCatalog.LastRunExitCode, "run"));
        Assert.Equal(0, served.Get(MetricCatalog.ConsecutiveFailures, "run"));
        Assert.InRange(served.Get(MetricCatalog.LastRunTimestamp, "run") ?? 0, before, before + 600);
        Assert.Equal(served.Get(MetricCatalog.LastRunTimestamp, "run"), served.Get(MetricCatalog.LastSuccessTimestamp));
        Assert.Equal(written.Get(MetricCatalog.MySqlUnavailable), served.Get(MetricCatalog.MySqlUnavailable));
        Assert.True(served.Get(MetricCatalog.MySqlUnavailable) > 0, scraped);
        Assert.Equal(1, served.Get(MetricCatalog.Snapshots, "ours", "completed"));
        var snapshot = Assert.Single(world.Ec2.Snapshots());
        Assert.Equal(snapshot.StartTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Math.Floor(served.Get(MetricCatalog.NewestSnapshotTimestamp) ?? 0).ToString(CultureInfo.InvariantCulture));
    }
}
