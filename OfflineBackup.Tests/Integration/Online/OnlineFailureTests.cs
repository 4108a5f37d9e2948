using System.Globalization;
using System.Text.RegularExpressions;
using MySql.Data.MySqlClient;

namespace OfflineBackup.Tests.Integration.Online;

/// <summary>
/// Online mode when something is in the way: a session holding a lock the backup lock needs,
/// a SIGTERM while commits are blocked, a CreateSnapshot that lands only after the release.
/// Every phase is held by a gate or by a real lock, never by a sleep.
/// </summary>
[Collection(OnlinePairCollection.Name)]
public sealed partial class OnlineFailureTests(OnlinePairFixture fixture, ITestOutputHelper log)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_session_holding_a_table_lock_makes_the_run_give_up_in_max_block_seconds_and_name_its_query()
    {
        await using var world = await fixture.WorldAsync(c => c with { MaxBlockSeconds = 3 });
        await using var blocker = await BlockerAsync("SELECT SLEEP(120)");

        var run = await world.Cli.RunAsync("run");

        log.WriteLine(run.ToString());
        Assert.Equal(ExitCodes.StopTimedOut, run.ExitCode);
        Assert.Contains("BACKUP STAGE BLOCK_COMMIT was not granted within consistency.max_block_seconds (3s)", run.Error);
        Assert.Contains($"connection {blocker.Id} (root@", run.Error);
        Assert.Contains("SELECT SLEEP(120)", run.Error);
        var gaveUp = GaveUp().Match(world.Files.ReadLog());
        Assert.True(gaveUp.Success, world.Files.ReadLog());
        var waited = long.Parse(gaveUp.Groups[1].Value, CultureInfo.InvariantCulture);
        log.WriteLine($"gave up after {waited} ms");
        Assert.InRange(waited, 3000, 4000);
        Assert.Empty(world.Ec2.Snapshots());
        Assert.True(await world.ReplicationRunsAsync());
        Assert.False(File.Exists(world.Files.Journal));

        // Nothing of the tool's is left blocking: a row written on the primary now reaches the
        // replica (its applier commits), and the other session was left alone.
        var row = await fixture.Pair.WriteOnPrimaryAsync("after the given-up online run", CancellationToken.None);
        await fixture.Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        Assert.True(await fixture.Pair.ReplicaHasRowAsync(row, CancellationToken.None));
        Assert.False(blocker.Query.IsCompleted, "the tool must never kill another session's query");
    }

    [Fact]
    public async Task Sigterm_while_commits_are_blocked_releases_and_restarts_replication_before_143_and_a_late_snapshot_is_marked()
    {
        await using var world = await fixture.WorldAsync();
        await fixture.PrepareProbeTableAsync();
        using var create = new Gate();
        world.OnCreateSnapshot((_, _) => create.HoldAsync());
        using var child = world.StartTool("run");
        await child.WaitForAsync(() => create.IsReached, Patience);

        // Held in CreateSnapshot: commits are blocked now (the replica's own commit waits).
        Assert.False(await fixture.ReplicaCommitsWithinAsync(TimeSpan.FromSeconds(1)), "commits were not blocked during CreateSnapshot");
        child.Signal(Signals.Term);
        var exitCode = await child.WaitAsync(Patience);
        var replicating = await world.ReplicationRunsAsync();

        log.WriteLine(child.ToString());
        Assert.True(exitCode == ExitCodes.Terminated, $"exit {exitCode}\n{child}");
        Assert.True(replicating, "replication was not running after exit 143");
        Assert.True(await fixture.ReplicaCommitsWithinAsync(TimeSpan.FromSeconds(10)), "commits still blocked after exit 143");
        Assert.Contains("\"phase\": \"snapshot_in_flight\"", File.ReadAllText(world.Files.Journal));
        Assert.Contains("interrupted", child.StandardError);

        // EC2 now carries out the request the interrupted run sent: taken after the release.
        create.Release();
        await Poll.UntilAsync(() => world.Ec2.Snapshots().Count > 0, Patience, "the held CreateSnapshot never landed");

        var next = await world.Cli.RunAsync("run");

        log.WriteLine(next.ToString());
        // Marked, and (once completed) not counted as the day's backup: the recovering run may
        // go on to take a consistent one (or hold off while the late one is still pending).
        var late = Assert.Single(world.Ec2.Snapshots(), s => s.Tags[ToolTags.Method] == ToolTags.MethodInconsistentLate);
        Assert.All(world.Ec2.Snapshots().Where(s => s.SnapshotId != late.SnapshotId), s => Assert.Equal(ToolTags.MethodOnline, s.Tags[ToolTags.Method]));
        Assert.DoesNotContain(ToolTags.ReplicaPosition, late.Tags.Keys);
        Assert.Contains($"{late.SnapshotId} landed without an answer", next.Error);
        Assert.False(File.Exists(world.Files.Journal));
    }

    [Fact]
    public async Task A_create_snapshot_unanswered_within_max_block_seconds_is_abandoned_and_everything_released()
    {
        await using var world = await fixture.WorldAsync(c => c with { MaxBlockSeconds = 3 });
        await fixture.PrepareProbeTableAsync();
        using var create = new Gate();
        world.OnCreateSnapshot((_, _) => create.HoldAsync());

        var run = await world.Cli.RunAsync("run");

        log.WriteLine(run.ToString());
        Assert.Equal(ExitCodes.Ec2Unreachable, run.ExitCode);
        Assert.Contains("CreateSnapshot had no answer within consistency.max_block_seconds (3s), so the block was released", run.Error);
        Assert.True(await fixture.ReplicaCommitsWithinAsync(TimeSpan.FromSeconds(5)), "commits still blocked after the run");
        Assert.True(await world.ReplicationRunsAsync());
        Assert.Contains("\"phase\": \"snapshot_in_flight\"", File.ReadAllText(world.Files.Journal));
        var blocked = TimingsBlocked().Match(world.Files.ReadLog());
        Assert.True(blocked.Success, world.Files.ReadLog());
        Assert.InRange(long.Parse(blocked.Groups[1].Value, CultureInfo.InvariantCulture), 3000, 5000);
    }

    /// <summary>A root session on the replica holding LOCK TABLES ... WRITE on a table of its own while it runs <paramref name="query"/>.</summary>
    private async Task<Blocker> BlockerAsync(string query)
    {
        var replica = fixture.Pair.Replica;
        await replica.ExecuteAsync("CREATE DATABASE IF NOT EXISTS online_probe; CREATE TABLE IF NOT EXISTS online_probe.locked (id INT PRIMARY KEY) ENGINE=InnoDB", CancellationToken.None);
        var connection = new MySqlConnection(replica.ConnectionString(replica.RootUser, replica.RootPassword));
        await connection.OpenAsync();
        using (var lockTables = new MySqlCommand("LOCK TABLES online_probe.locked WRITE", connection))
        {
            await lockTables.ExecuteNonQueryAsync();
        }

        var id = Convert.ToInt64(await new MySqlCommand("SELECT CONNECTION_ID()", connection).ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var running = new MySqlCommand(query, connection) { CommandTimeout = 300 }.ExecuteNonQueryAsync();
        return new Blocker(fixture.Pair.Replica, connection, id, running);
    }

    private sealed record Blocker(MariaDbServer Replica, MySqlConnection Connection, long Id, Task Query) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Replica.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"KILL CONNECTION {Id}"), CancellationToken.None);
            try
            {
                await Query;
            }
            catch (MySqlException)
            {
                // Killed, as intended.
            }

            await Connection.DisposeAsync();
        }
    }

    [GeneratedRegex(@"blocked_ms=([0-9]+)")]
    private static partial Regex TimingsBlocked();

    [GeneratedRegex(@"gave up waiting for BACKUP STAGE BLOCK_COMMIT after ([0-9]+) ms")]
    private static partial Regex GaveUp();
}
