using System.Text.Json;
using Amazon.EC2.Model;
using OfflineBackup.Restore;

namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>
/// The position file online mode writes into the data directory, inside a real snapshot: the
/// drill, which mounts the copy, reports that position rather than the server's own tables;
/// restore, which does not mount, points its steps at the file.
/// </summary>
[Collection(VolumePairCollection.Name)]
public sealed class PositionFileTests(VolumePairFixture world, ITestOutputHelper log) : HealthyPairTests(world.Pair)
{
    [Fact]
    public async Task A_position_file_in_the_snapshot_is_the_position_the_drill_reports_and_restore_steps_read_it()
    {
        using var cli = await DrillHarness.CreateAsync(world);
        var file = Path.Combine(world.Pair.ReplicaVolume!.MountPoint, "data", PositionFile.Name);
        await using (var stream = new FileStream(file, FileMode.Create))
        {
            // Written to disk before the snapshot copies the image, as online mode does.
            await stream.WriteAsync("gtid:0-1-4242\nwritten_by=PositionFileTests\nmode=online\n"u8.ToArray());
            stream.Flush(flushToDisk: true);
        }

        string snapshotId;
        try
        {
            snapshotId = await DrillWorld.SnapshotAsync(world);
        }
        finally
        {
            File.Delete(file);
        }

        var drill = await cli.RunAsync("drill", "--snapshot", snapshotId, "--json");

        log.WriteLine(drill.ToString());
        Assert.True(drill.ExitCode == 0, drill.ToString());
        using (var report = JsonDocument.Parse(drill.Output))
        {
            var position = report.RootElement.GetProperty("checks").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == "replication position");
            Assert.True(position.GetProperty("passed").GetBoolean());
            Assert.Equal($"gtid 0-1-4242, from the position file {PositionFile.Name}", position.GetProperty("detail").GetString());
        }

        DrillWorld.AssertNothingLeft(world, cli);

        var restore = await cli.RunAsync("restore", snapshotId, "--json", "--mount-point", cli.Files.Path("restored"));
        log.WriteLine(restore.ToString());
        Assert.True(restore.ExitCode == 0, restore.ToString());
        using var steps = JsonDocument.Parse(restore.Output);
        var volumeId = steps.RootElement.GetProperty("volume").GetString()!;
        try
        {
            Assert.Contains(steps.RootElement.GetProperty("steps").EnumerateArray(), s =>
                s.GetProperty("kind").GetString() == "shell"
                && s.GetProperty("text").GetString()!.StartsWith($"cat {cli.Files.Path("restored")}/data/{PositionFile.Name}", StringComparison.Ordinal));
        }
        finally
        {
            using var client = Ec2.Ec2Harness.CreateClient(world.Ec2, new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"));
            await client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId });
        }

        DrillWorld.AssertNothingLeft(world, cli);
    }
}
