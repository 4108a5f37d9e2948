using System.Globalization;
using System.Text.Json;
using Amazon.EC2.Model;
using MySql.Data.MySqlClient;

namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>
/// <c>restore --attach</c>, then the printed steps carried out literally, shell lines through
/// /bin/sh and SQL lines on the restored server: the copy replicates again from the primary.
/// </summary>
[Collection(VolumePairCollection.Name)]
public sealed class RestoreStepsTests(VolumePairFixture world, ITestOutputHelper log) : HealthyPairTests(world.Pair)
{
    [Fact]
    public async Task The_printed_steps_followed_literally_give_a_replica_that_replicates_again_from_the_primary()
    {
        await world.Pair.WriteOnPrimaryAsync("before the snapshot", CancellationToken.None);
        await world.Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        using var cli = await DrillHarness.CreateAsync(world);
        var snapshotId = await DrillWorld.SnapshotAsync(world);
        var mountPoint = cli.Files.Path("restored");
        var port = FreePort.Pick();

        var restore = await cli.RunAsync("restore", snapshotId, "--attach", "--json", "--mount-point", mountPoint,
            "--port", port.ToString(CultureInfo.InvariantCulture), "--server-id", "77", "--mysqld-user", "root");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        using var json = JsonDocument.Parse(restore.Output);
        var volumeId = json.RootElement.GetProperty("volume").GetString()!;
        var socket = mountPoint + ".sock";
        try
        {
            foreach (var step in json.RootElement.GetProperty("steps").EnumerateArray())
            {
                var (kind, text) = (step.GetProperty("kind").GetString(), step.GetProperty("text").GetString()!);
                log.WriteLine($"{kind}: {text}");
                if (kind == "shell")
                {
                    var result = await ChildProcess.RunShellAsync(text, CancellationToken.None);
                    Assert.True(result.Succeeded, $"{text}: {result.StandardError}");
                }
                else if (kind == "sql")
                {
                    await using var connection = await ConnectAsync(socket);
                    await new MySqlCommand(text, connection).ExecuteNonQueryAsync();
                }
            }

            var rowId = await world.Pair.WriteOnPrimaryAsync("written after the restore", CancellationToken.None);
            await using var restored = await ConnectAsync(socket);
            Assert.Equal(77L, Convert.ToInt64(await new MySqlCommand("SELECT @@server_id", restored).ExecuteScalarAsync(), CultureInfo.InvariantCulture));
            var limit = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Convert.ToInt64(await new MySqlCommand(
                string.Create(CultureInfo.InvariantCulture, $"SELECT COUNT(*) FROM {MariaDbReplicationPair.WritesTable} WHERE id = {rowId}"), restored).ExecuteScalarAsync(),
                CultureInfo.InvariantCulture) == 0)
            {
                Assert.True(DateTime.UtcNow < limit, "the restored replica did not receive the row written on the primary after the restore");
                await Task.Delay(100);
            }
        }
        finally
        {
            // The server removes its socket before it has let go of its files: wait for the process.
            await ChildProcess.RunShellAsync(
                $"pid=$(cat {mountPoint}.pid 2>/dev/null) && kill $pid && while kill -0 $pid 2>/dev/null; do sleep 0.1; done; umount {mountPoint}",
                CancellationToken.None);
            using var client = Ec2.Ec2Harness.CreateClient(world.Ec2, new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"));
            await client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId });
            var limit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] })).Volumes[0].State != Amazon.EC2.VolumeState.Available
                && DateTime.UtcNow < limit)
            {
                await Task.Delay(100);
            }

            await client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId });
        }

        DrillWorld.AssertNothingLeft(world, cli);
    }

    /// <summary>As a person would: the server started in the background; try until it answers.</summary>
    private async Task<MySqlConnection> ConnectAsync(string socket)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var connection = world.CopyRootConnection(socket);
            try
            {
                await Task.Run(connection.Open);
                return connection;
            }
            catch (MySqlException) when (DateTime.UtcNow < limit)
            {
                await connection.DisposeAsync();
                await Task.Delay(200);
            }
        }
    }
}
