namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>The replica guard's inputs and verdicts, read from a real replica in real states.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MySqlReplicaServerStateTests(MariaDbPairFixture fixture) : HealthyPairTests(fixture.Pair)
{
    private static readonly TimeSpan MaxLag = TimeSpan.FromHours(3);
    private MySqlReplicaServer Monitor() => new(Pair.MonitorSettings());

    /// <summary>Reads the server's state and asserts the replica check refuses it, <paramref name="because"/> in its detail.</summary>
    private static async Task<ServerState> RefusedAsync(MySqlReplicaServer server, string because)
    {
        var state = await server.ReadStateAsync(CancellationToken.None);
        var verdict = ReplicaHealth.Evaluate(state, MaxLag);
        Assert.False(verdict.Healthy);
        Assert.Contains(because, verdict.Detail);
        return state;
    }

    [Fact]
    public async Task Healthy_replica_passes()
    {
        var state = await Monitor().ReadStateAsync(CancellationToken.None);

        Assert.True(state.IsMariaDb);
        Assert.StartsWith("10.", state.Version);
        Assert.True(state.ReadOnly);
        var channel = Assert.Single(state.Channels);
        Assert.Equal(new ReplicaChannel("", true, true, 0, 0, "", ""), channel);
        var verdict = ReplicaHealth.Evaluate(state, MaxLag);
        Assert.True(verdict.Healthy, verdict.Detail);
        Assert.Contains("default channel 0 s behind", verdict.Detail);
    }

    [Fact]
    public async Task Lag_above_the_limit_is_refused()
    {
        var lag = await Pair.MakeLagAsync(TimeSpan.FromHours(4), CancellationToken.None);

        var state = await Monitor().ReadStateAsync(CancellationToken.None);

        var channel = Assert.Single(state.Channels);
        Assert.True(channel.IoRunning && channel.SqlRunning);
        Assert.True(channel.SecondsBehind >= lag, $"reported {channel.SecondsBehind}, fixture saw {lag}");
        var verdict = ReplicaHealth.Evaluate(state, MaxLag);
        Assert.False(verdict.Healthy);
        Assert.Contains($"{channel.SecondsBehind} s", verdict.Detail);
        Assert.Contains("limit of 10800 s", verdict.Detail);
    }

    [Fact]
    public async Task Lag_below_the_limit_passes()
    {
        await Pair.MakeLagAsync(TimeSpan.FromHours(1), CancellationToken.None);

        var verdict = ReplicaHealth.Evaluate(await Monitor().ReadStateAsync(CancellationToken.None), MaxLag);

        Assert.True(verdict.Healthy, verdict.Detail);
    }

    /// <summary>One thread stopped, the other left running; a stopped SQL thread also gives NULL lag.</summary>
    [Theory]
    [InlineData("SQL", "default channel: the SQL thread is not running")]
    [InlineData("IO", "the IO thread is not running")]
    public async Task A_stopped_replication_thread_is_refused(string thread, string because)
    {
        await (thread == "SQL" ? Pair.StopReplicaSqlThreadAsync(CancellationToken.None) : Pair.StopReplicaIoThreadAsync(CancellationToken.None));

        var state = await RefusedAsync(Monitor(), because);

        var channel = Assert.Single(state.Channels);
        Assert.Equal(thread != "SQL", channel.SqlRunning);
        Assert.Equal(thread != "IO", channel.IoRunning);
        if (thread == "SQL")
        {
            Assert.Null(channel.SecondsBehind);
        }
    }

    [Fact]
    public async Task Replication_error_is_refused_with_the_servers_error_text()
    {
        var error = await Pair.CauseReplicaSqlErrorAsync(CancellationToken.None);

        var state = await RefusedAsync(Monitor(), "last error: " + error);

        Assert.Equal(error, Assert.Single(state.Channels).LastSqlError);
    }

    [Fact]
    public async Task The_primary_is_refused_as_writable()
    {
        var primary = new MySqlReplicaServer(Pair.MonitorSettings() with { Port = Pair.Primary.Port });

        var state = await RefusedAsync(primary, "writable (read_only=0)");

        Assert.False(state.ReadOnly);
        Assert.False(state.IsReplica);
    }

    [Fact]
    public async Task A_writable_replica_is_refused_too()
    {
        await Pair.SetReadOnlyAsync(Pair.Replica, false, CancellationToken.None);

        var state = await Monitor().ReadStateAsync(CancellationToken.None);

        Assert.True(state.IsReplica);
        Assert.False(ReplicaHealth.Evaluate(state, MaxLag).Healthy);
    }

    [Fact]
    public async Task A_read_only_server_that_is_not_a_replica_is_refused()
    {
        await Pair.SetReadOnlyAsync(Pair.Primary, true, CancellationToken.None);
        var primary = new MySqlReplicaServer(Pair.MonitorSettings() with { Port = Pair.Primary.Port });

        var verdict = ReplicaHealth.Evaluate(await primary.ReadStateAsync(CancellationToken.None), MaxLag);

        Assert.False(verdict.Healthy);
        Assert.Contains("not a replica", verdict.Detail);
    }
}
