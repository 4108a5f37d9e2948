using System.Globalization;
using MySql.Data.MySqlClient;

namespace OfflineBackup.Tests.Integration.Online;

/// <summary>
/// consistency.mode: online end to end, in-process, against the real pair with the replica's
/// data on the volume the EC2 double snapshots: under write load on the primary and a reader on
/// the replica, the replica is never stopped, the reader never fails, and the snapshot, started
/// by a throwaway mariadbd, holds exactly the transactions up to the recorded GTID position.
/// </summary>
[Collection(OnlinePairCollection.Name)]
public sealed class OnlineRunTests(OnlinePairFixture fixture, ITestOutputHelper log)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Under_load_the_replica_keeps_serving_and_the_snapshot_holds_exactly_the_recorded_position(bool freeze)
    {
        await using var world = await fixture.WorldAsync(c => c with { FreezeFilesystem = freeze ? true : null });
        var before = await fixture.ReplicaProcessAsync();
        await using var load = WriteLoad.Start(fixture.Pair);
        await load.WarmUpAsync(20, TimeSpan.FromSeconds(60));

        var run = await world.Cli.RunAsync("run");
        var written = await load.StopAsync();

        log.WriteLine(run.ToString());
        log.WriteLine($"reader: {written.Reads} queries, longest {written.LongestRead.TotalMilliseconds:0} ms; writer: {written.Written.Count} rows");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(written.ReaderFailures);
        var after = await fixture.ReplicaProcessAsync();
        Assert.Equal(before.Pid, after.Pid);
        Assert.True(after.Uptime >= before.Uptime, $"uptime {before.Uptime} s before, {after.Uptime} s after: the replica restarted");
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Files.Journal));
        Assert.Matches(@"online: MySQL kept running, commits blocked [0-9]", run.Output);

        var snapshot = Assert.Single(world.Ec2.Snapshots());
        Assert.Equal(freeze ? ToolTags.MethodOnlineFrozen : ToolTags.MethodOnline, snapshot.Tags[ToolTags.Method]);
        var position = snapshot.Tags[ToolTags.ReplicaPosition];
        Assert.Matches("^gtid:0-1-[0-9]+$", position);
        var recorded = long.Parse(position[(position.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
        var expected = written.Written.Where(r => r.Sequence <= recorded).Select(r => r.Id).Order().ToList();
        Assert.True(expected.Count > 0 && expected.Count < written.Written.Count,
            $"the load must straddle the snapshot: {expected.Count} of {written.Written.Count} rows at or before {position}");

        world.Ec2.Complete(snapshot.SnapshotId);
        var (rows, gtid, file) = await fixture.OnSnapshotImageAsync(world, snapshot.SnapshotId, world.Files.Path("image"), async (connection, dataDirectory) =>
        {
            var ids = new List<long>();
            using (var command = new MySqlCommand($"SELECT id FROM {MariaDbReplicationPair.WritesTable} WHERE note LIKE '{load.Tag}-%' ORDER BY id", connection))
            using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            using var pos = new MySqlCommand("SELECT @@GLOBAL.gtid_slave_pos", connection);
            return (ids, (string)(await pos.ExecuteScalarAsync())!, await File.ReadAllLinesAsync(PositionFile.PathIn(dataDirectory)));
        });

        Assert.Equal(expected, rows);
        Assert.Equal(position, "gtid:" + gtid);
        Assert.Equal(position, file[0]);
        Assert.Contains(file, l => l.StartsWith("run_id=", StringComparison.Ordinal));
        Assert.Contains(file, l => l.StartsWith("taken_at=", StringComparison.Ordinal));
        Assert.Contains("source_host=127.0.0.1", file);

        var list = await world.Cli.RunAsync("list");
        Assert.Contains(snapshot.Tags[ToolTags.Method] + " ", list.Output.Split('\n').Single(l => l.StartsWith(snapshot.SnapshotId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Check_shows_the_preflight_with_every_path_on_the_volume()
    {
        await using var world = await fixture.WorldAsync();

        var check = await world.Cli.RunAsync("check");

        log.WriteLine(check.ToString());
        var line = check.Output.Split('\n').Single(l => l.StartsWith("online-preflight", StringComparison.Ordinal));
        Assert.Contains("passed", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"relay_log_basename) is on {ToolConfig.DefaultVolumeId} (loop", line, StringComparison.Ordinal);

        var plan = await world.Cli.RunAsync("run", "--dry-run");

        log.WriteLine(plan.ToString());
        Assert.Equal(ExitCodes.Success, plan.ExitCode);
        Assert.Contains("block commits, not reads (MariaDB 10.4+: BACKUP STAGE START, BACKUP STAGE BLOCK_COMMIT", plan.Output, StringComparison.Ordinal);
        Assert.Contains($"tag {ToolTags.Method} = {ToolTags.MethodOnline}", plan.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("stop MySQL", plan.Output, StringComparison.Ordinal);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.True(await world.ReplicationRunsAsync());
    }
}
