namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>
/// Stopping and starting replication, and the whole server through the same shell commands the
/// tool's <c>run</c> is configured with.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class MySqlReplicaServerControlTests(MariaDbPairFixture fixture) : HealthyPairTests(fixture.Pair)
{
    private MySqlReplicaServer Monitor() => new(Pair.MonitorSettings());

    private async Task<ReplicaChannel> ChannelAsync() =>
        Assert.Single((await Monitor().ReadStateAsync(CancellationToken.None)).Channels);

    [Fact]
    public async Task Stop_then_start_replication_and_rows_written_meanwhile_arrive()
    {
        await Monitor().StopReplicationAsync(CancellationToken.None);

        var stopped = await ChannelAsync();
        Assert.False(stopped.IoRunning);
        Assert.False(stopped.SqlRunning);
        var id = await Pair.WriteOnPrimaryAsync("while replication was stopped", CancellationToken.None);
        Assert.False(await Pair.ReplicaHasRowAsync(id, CancellationToken.None));

        await Monitor().StartReplicationAsync([], CancellationToken.None);

        await Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        Assert.True(await Pair.ReplicaHasRowAsync(id, CancellationToken.None));
        await WaitUntilReplicatingAsync();
    }

    [Fact]
    public async Task Start_by_channel_name_starts_the_default_connection()
    {
        await Monitor().StopReplicationAsync(CancellationToken.None);

        await Monitor().StartReplicationAsync([""], CancellationToken.None);

        await WaitUntilReplicatingAsync();
    }

    [Fact]
    public async Task Starting_an_unknown_channel_fails_clearly()
    {
        var error = await Assert.ThrowsAsync<BackupException>(
            () => Monitor().StartReplicationAsync(["no-such-channel"], CancellationToken.None));

        Assert.Equal(ExitCodes.ReplicaUnhealthy, error.ExitCode);
        Assert.Contains("starting replication on 'no-such-channel'", error.Message);
        Assert.Contains("There is no master connection 'no-such-channel'", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stop_and_start_commands_restart_the_server_and_replication_resumes(bool skipSlaveStart)
    {
        await Pair.SetReplicaSkipSlaveStartAsync(skipSlaveStart, CancellationToken.None);
        var server = Monitor();
        await server.StopReplicationAsync(CancellationToken.None);

        var stop = await ChildProcess.RunShellAsync(Pair.ReplicaStopCommand, CancellationToken.None);

        Assert.True(stop.Succeeded, stop.StandardError);
        Assert.False(await server.IsUpAsync(CancellationToken.None));
        Assert.False(File.Exists(Pair.ReplicaPidFile));
        var id = await Pair.WriteOnPrimaryAsync("while the replica was down", CancellationToken.None);

        var start = await ChildProcess.RunShellAsync(Pair.ReplicaStartCommand, CancellationToken.None);

        Assert.True(start.Succeeded, start.StandardError);
        await WaitUntilUpAsync(server);
        var afterStart = await ChannelAsync();
        // skip-slave-start decides whether the server replicates by itself; the tool must not
        // rely on it and starts replication either way.
        Assert.Equal(!skipSlaveStart, afterStart.SqlRunning);
        await server.StartReplicationAsync([""], CancellationToken.None);
        await Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        Assert.True(await Pair.ReplicaHasRowAsync(id, CancellationToken.None));
        Assert.True(ReplicaHealth.Evaluate(await server.ReadStateAsync(CancellationToken.None), TimeSpan.FromHours(3)).Healthy);
    }

    /// <summary>
    /// START SLAVE returns while the IO thread is still "Connecting"; wait until both threads
    /// run (bounded, so a replica that never replicates fails the test instead of hanging it).
    /// </summary>
    private async Task WaitUntilReplicatingAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var channel = await ChannelAsync();
        while (!(channel.IoRunning && channel.SqlRunning) && !bound.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
            channel = await ChannelAsync();
        }

        Assert.True(channel.IoRunning && channel.SqlRunning, $"not replicating: {channel}");
    }

    /// <summary>The start command returns at once; poll as the tool's start step does.</summary>
    private static async Task WaitUntilUpAsync(MySqlReplicaServer server)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await server.IsUpAsync(bound.Token))
        {
            await Task.Delay(50, bound.Token);
        }
    }
}
