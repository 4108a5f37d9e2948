using System.Globalization;
using OfflineBackup.Metrics;
using OfflineBackup.Tests.Sandbox;

namespace OfflineBackup.Tests.Integration.Metrics;

/// <summary>
/// The metrics file as whole commands write it, against the real replica and the EC2 double:
/// every command's file passes promtool, values carry over from one invocation to the next, a
/// file that cannot be written changes nothing but a warning; and the whole route, where the real
/// binary (a child process) writes the file, the real node_exporter serves it, and a scrape over
/// HTTP finds that run's values and no textfile error.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class MetricsFileTests(MariaDbPairFixture fixture)
{
    private MariaDbReplicationPair Pair => fixture.Pair;

    [Fact]
    public async Task Run_check_and_prune_each_write_a_file_promtool_accepts_carrying_the_last_backup_over()
    {
        await using var metrics = await MetricsWorld.StartAsync(Pair);
        var (world, file) = (metrics.World, metrics.File);

        var backup = await world.Cli.RunAsync("run");
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.ToString());
        await Promtool.AssertValidMetricsAsync(file);
        var afterBackup = metrics.Read();
        var snapshot = Assert.Single(world.Ec2.Snapshots());
        Assert.Equal(0, afterBackup.Get(MetricCatalog.LastRunExitCode, "run"));
        Assert.NotNull(afterBackup.Get(MetricCatalog.LastSuccessTimestamp));
        Assert.InRange(afterBackup.Get(MetricCatalog.MySqlUnavailable) ?? -1, 0.001, 600);
        Assert.InRange(afterBackup.Get(MetricCatalog.SnapshotDuration) ?? -1, 0.001, 600);
        Assert.Equal(0, afterBackup.Get(MetricCatalog.RetentionDeleted));
        Assert.Equal(1, afterBackup.Get(MetricCatalog.Snapshots, "ours", "completed"));
        Assert.Equal(snapshot.StartTime.ToUnixTimeSeconds(), Math.Floor(afterBackup.Get(MetricCatalog.NewestSnapshotTimestamp) ?? 0));
        Assert.Equal(1, afterBackup.Get(MetricCatalog.GuardOk, "aws-permissions"));
        Assert.NotNull(afterBackup.Get(MetricCatalog.ReplicaLag));
        Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead), "node_exporter runs as another user");

        var notDue = await world.Cli.RunAsync("run");
        Assert.True(notDue.ExitCode == ExitCodes.NotDue, notDue.ToString());
        Assert.Equal("", notDue.Output + notDue.Error);
        await Promtool.AssertValidMetricsAsync(file);
        var afterNotDue = metrics.Read();
        Assert.Equal(4, afterNotDue.Get(MetricCatalog.LastRunExitCode, "run"));
        Assert.Equal(0, afterNotDue.Get(MetricCatalog.GuardOk, "age"));
        foreach (var carried in new[] { MetricCatalog.LastSuccessTimestamp, MetricCatalog.MySqlUnavailable, MetricCatalog.SnapshotDuration, MetricCatalog.RetentionDeleted })
        {
            Assert.Equal(afterBackup.Get(carried), afterNotDue.Get(carried));
        }

        // The not-due run stops at the age guard: the permission probe it never reached keeps its verdict.
        Assert.Equal(1, afterNotDue.Get(MetricCatalog.GuardOk, "aws-permissions"));

        var check = await world.Cli.RunAsync("check");
        Assert.True(check.ExitCode == ExitCodes.NotDue, check.ToString());
        await Promtool.AssertValidMetricsAsync(file);
        Assert.Equal(4, metrics.Read().Get(MetricCatalog.LastRunExitCode, "check"));

        var prune = await world.Cli.RunAsync("prune");
        Assert.True(prune.ExitCode == ExitCodes.Success, prune.ToString());
        await Promtool.AssertValidMetricsAsync(file);
        var afterPrune = metrics.Read();
        Assert.Equal(0, afterPrune.Get(MetricCatalog.LastRunExitCode, "prune"));
        Assert.Equal(0, afterPrune.Get(MetricCatalog.RetentionFailingSince));
        Assert.Equal(4, afterPrune.Get(MetricCatalog.LastRunExitCode, "run"));

        var dryRun = await world.Cli.RunAsync("run", "--dry-run");
        Assert.True(dryRun.ExitCode == ExitCodes.NotDue, dryRun.ToString());
        await Promtool.AssertValidMetricsAsync(file);
        Assert.Equal(4, metrics.Read().Get(MetricCatalog.LastRunExitCode, "run --dry-run"));
        Assert.Equal(afterNotDue.Get(MetricCatalog.LastRunTimestamp, "run"), metrics.Read().Get(MetricCatalog.LastRunTimestamp, "run"));
        Assert.Equal([file], Directory.GetFiles(metrics.Directory));
    }

    [Fact]
    public async Task A_failed_run_is_recorded_and_counted()
    {
        await using var metrics = await MetricsWorld.StartAsync(Pair);
        var (world, file) = (metrics.World, metrics.File);
        await Pair.StopReplicaSqlThreadAsync(CancellationToken.None);

        var first = await world.Cli.RunAsync("run");
        var second = await world.Cli.RunAsync("run");

        Assert.True(second.ExitCode == ExitCodes.ReplicaUnhealthy, second.ToString());
        Assert.Equal(first.ExitCode, second.ExitCode);
        await Promtool.AssertValidMetricsAsync(file);
        var values = metrics.Read();
        Assert.Equal(6, values.Get(MetricCatalog.LastRunExitCode, "run"));
        Assert.Equal(2, values.Get(MetricCatalog.ConsecutiveFailures, "run"));
        Assert.Equal(0, values.Get(MetricCatalog.GuardOk, "replica"));
        Assert.Null(values.Get(MetricCatalog.ReplicaLag));
        Assert.Null(values.Get(MetricCatalog.LastSuccessTimestamp));
    }

    [Fact]
    public async Task A_metrics_file_that_cannot_be_written_is_a_warning_and_changes_no_outcome()
    {
        await using var metrics = await MetricsWorld.StartAsync(Pair, Path.Combine("no-such-directory", MetricsWorld.FileName));
        var (world, file) = (metrics.World, metrics.File);
        SeedOwn(world.Ec2, DateTimeOffset.UtcNow.AddHours(-2));

        var run = await world.Cli.RunAsync("run");
        var check = await world.Cli.RunAsync("check", "--json");

        Assert.True(run.ExitCode == ExitCodes.NotDue, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains("offline-backup run: warning: the metrics file " + file + " could not be written", run.Error);
        Assert.Single(run.Error.Split('\n'), line => line.Contains("could not be written", StringComparison.Ordinal));
        Assert.True(check.ExitCode == ExitCodes.NotDue, check.ToString());
        Assert.StartsWith("{", check.Output, StringComparison.Ordinal);
        Assert.Contains("offline-backup check: warning: the metrics file", check.Error);
        Assert.Contains("could not be written", world.Cli.ReadLog());
        Assert.False(Directory.Exists(Path.GetDirectoryName(file)));
    }

    [Fact]
    public async Task A_garbled_previous_file_is_replaced_with_a_warning()
    {
        await using var metrics = await MetricsWorld.StartAsync(Pair, previous: "offline_backup_last_run_exit_code{command=\"run\" 4\n");
        var (world, file) = (metrics.World, metrics.File);
        SeedOwn(world.Ec2, DateTimeOffset.UtcNow.AddHours(-2));

        var check = await world.Cli.RunAsync("check");

        Assert.True(check.ExitCode == ExitCodes.NotDue, check.ToString());
        Assert.Contains("warning: the previous metrics file " + file + " was unreadable", check.Error);
        await Promtool.AssertValidMetricsAsync(file);
        Assert.Equal(4, metrics.Read().Get(MetricCatalog.LastRunExitCode, "check"));
    }

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

    private static void SeedOwn(Ec2Double ec2, DateTimeOffset start) =>
        ec2.Seed(new SnapshotSeed("snap-0000000000000000a", TestSettings.VolumeId, start)
        {
            State = "completed",
            Progress = "100%",
            Tags = SnapshotRequests.For(TestSettings.Create("/tmp").Instance, "seeded", "db1", start).Tags.ToDictionary(),
        });
}
