using System.Diagnostics;
using MySql.Data.MySqlClient;

namespace OfflineBackup.Tests.Integration.Online;

/// <summary>
/// consistency.freeze_filesystem with the real binary, the real fsfreeze of the replica's
/// loop-mounted volume and its watchdog process: a SIGKILL while frozen must not leave the
/// filesystem frozen past max_block_seconds, nor the backup lock held; the next run finishes
/// the rest. Phases are held by the EC2 double's CreateSnapshot gate.
/// </summary>
[Collection(OnlinePairCollection.Name)]
public sealed class OnlineFreezeTests(OnlinePairFixture fixture, ITestOutputHelper log)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_frozen_run_snapshots_with_the_frozen_consistency_tag_and_thaws()
    {
        await using var world = await fixture.WorldAsync(c => c with { FreezeFilesystem = true });
        var probe = Path.Combine(fixture.Pair.ReplicaVolume!.MountPoint, "online-probe");

        var run = await world.Cli.RunAsync("run");

        log.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches("commits blocked [0-9].*, frozen [0-9]", run.Output);
        var snapshot = Assert.Single(world.Ec2.Snapshots());
        Assert.Equal(ToolTags.MethodOnlineFrozen, snapshot.Tags[ToolTags.Method]);
        Assert.True(await WritableWithinAsync(probe, TimeSpan.FromSeconds(5)), "the volume is still frozen after the run");
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task After_sigkill_while_frozen_the_watchdog_thaws_in_time_the_lock_is_gone_and_the_next_run_recovers()
    {
        const int maxBlock = 5;
        await using var world = await fixture.WorldAsync(c => c with { FreezeFilesystem = true, MaxBlockSeconds = maxBlock });
        var probe = Path.Combine(fixture.Pair.ReplicaVolume!.MountPoint, "online-probe");
        using var create = new Gate();
        world.OnCreateSnapshot((_, _) => create.HoldAsync());
        Stopwatch killed;
        using (var child = world.StartTool("run"))
        {
            await child.WaitForAsync(() => create.IsReached, Patience);
            Assert.False(await WritableWithinAsync(probe, TimeSpan.FromMilliseconds(300)), "the volume was not frozen during CreateSnapshot");
            child.Signal(Signals.Kill);
            killed = Stopwatch.StartNew();
            await child.WaitAsync(Patience);
        }

        // No run of the tool from here on until the thaw: only its watchdog process is left.
        Assert.True(await WritableWithinAsync(probe, TimeSpan.FromSeconds(maxBlock + 1)), "still frozen after max_block_seconds + 1 s");
        log.WriteLine($"writable again {killed.ElapsedMilliseconds} ms after the SIGKILL (max_block_seconds {maxBlock})");
        Assert.True(await ReplicaCommitsWithinAsync(TimeSpan.FromSeconds(5)), "the backup lock outlived the killed run's session");
        var journal = File.ReadAllText(world.Files.Journal);
        Assert.Contains("\"mount_point\"", journal);

        // EC2 carries out the killed run's request now (after the thaw): a late snapshot.
        create.Release();
        await Poll.UntilAsync(() => world.Ec2.Snapshots().Count > 0, Patience, "the held CreateSnapshot never landed");

        var next = await world.Cli.RunAsync("run");

        log.WriteLine(next.ToString());
        Assert.Contains("recovered from interrupted run", next.Error);
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Files.Journal));
        var late = world.Ec2.Snapshots().Single(s => s.Tags[ToolTags.RunId] != null && s.Tags[ToolTags.Method] == ToolTags.MethodInconsistentLate);
        Assert.DoesNotContain(ToolTags.ReplicaPosition, late.Tags.Keys);
    }

    /// <summary>Whether a file on the volume can be written and fsynced within <paramref name="limit"/> (a frozen filesystem blocks it until the thaw).</summary>
    private static async Task<bool> WritableWithinAsync(string path, TimeSpan limit)
    {
        var write = Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            stream.WriteByte(1);
            stream.Flush(flushToDisk: true);
        });
        if (await Task.WhenAny(write, Task.Delay(limit)) != write)
        {
            // Finishes by itself at the thaw (the watchdog's deadline at the latest).
            return false;
        }

        await write;
        File.Delete(path);
        return true;
    }

    private async Task<bool> ReplicaCommitsWithinAsync(TimeSpan limit)
    {
        var replica = fixture.Pair.Replica;
        await using var connection = new MySqlConnection(replica.ConnectionString(replica.RootUser, replica.RootPassword));
        await connection.OpenAsync();
        using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE '%backup%' OR INFO LIKE 'BACKUP STAGE%'", connection);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                using var commit = new MySqlCommand("CREATE DATABASE IF NOT EXISTS online_probe; CREATE TABLE IF NOT EXISTS online_probe.commits (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO online_probe.commits VALUES ()", connection)
                {
                    CommandTimeout = (int)Math.Max(1, (limit - deadline.Elapsed).TotalSeconds),
                };
                await commit.ExecuteNonQueryAsync();
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}

/// <summary>A freeze requested for a data directory on / (the shared pair keeps its data in /tmp, on the root filesystem).</summary>
[Collection(MariaDbCollection.Name)]
public sealed class OnlineRootFreezeTests(MariaDbPairFixture fixture)
{
    [Fact]
    public async Task A_freeze_of_the_root_filesystem_is_refused_before_anything_is_stopped_or_blocked()
    {
        await fixture.Pair.Replica.ExecuteAsync(
            $"CREATE USER IF NOT EXISTS '{OnlinePairFixture.User}'@'%' IDENTIFIED BY '{OnlinePairFixture.Password}'; "
            + $"GRANT {MariaDbReplicationPair.MonitorGrants}, RELOAD, PROCESS ON *.* TO '{OnlinePairFixture.User}'@'%'",
            CancellationToken.None);
        await using var world = await TestWorld.StartAsync(fixture.Pair, c => c with
        {
            MySqlUser = OnlinePairFixture.User,
            MySqlPassword = OnlinePairFixture.Password,
            Consistency = new ConsistencyConfig { FreezeFilesystem = true },
        });

        var run = await world.Cli.RunAsync("run");

        Assert.Equal(ExitCodes.BadConfiguration, run.ExitCode);
        Assert.Contains("online-preflight", run.Error, StringComparison.Ordinal);
        Assert.Contains("it is the root filesystem (/)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("stopping replication", world.Files.ReadLog(), StringComparison.Ordinal);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Files.Journal));
    }
}
