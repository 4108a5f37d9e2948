namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>Unreachable servers, refused logins and cancellation, against the real replica.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MySqlReplicaServerConnectionTests(MariaDbPairFixture fixture) : HealthyPairTests(fixture.Pair)
{
    private const string WrongPassword = "Not-The-Password-4242";
    [Fact]
    public async Task Up_replica_is_up()
    {
        Assert.True(await new MySqlReplicaServer(Pair.MonitorSettings()).IsUpAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Server_down_is_refused_with_a_message_naming_server_and_user()
    {
        var server = new MySqlReplicaServer(Pair.MonitorSettings());
        await Pair.StopReplicaServerAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<BackupException>(() => server.ReadStateAsync(CancellationToken.None));

        Assert.Equal(ExitCodes.ReplicaUnhealthy, error.ExitCode);
        Assert.StartsWith($"cannot connect to MySQL at 127.0.0.1:{Pair.Replica.Port} (user 'monitor')", error.Message);
        Assert.False(await server.IsUpAsync(CancellationToken.None));
        Assert.DoesNotContain(MariaDbReplicationPair.MonitorPassword, error.ToString());
    }

    [Fact]
    public async Task Wrong_password_gives_a_clear_message_without_the_password()
    {
        var server = new MySqlReplicaServer(Pair.ReplicaSettings(MariaDbReplicationPair.MonitorUser, WrongPassword));

        var error = await Assert.ThrowsAsync<BackupException>(() => server.ReadStateAsync(CancellationToken.None));

        Assert.Equal(ExitCodes.ReplicaUnhealthy, error.ExitCode);
        Assert.Contains($"MySQL at 127.0.0.1:{Pair.Replica.Port} (user 'monitor') refused the login", error.Message);
        Assert.Contains("Access denied for user 'monitor'@'127.0.0.1'", error.Message);
        Assert.DoesNotContain(WrongPassword, error.ToString());
    }

    [Fact]
    public async Task Refused_login_is_not_reported_as_a_server_that_is_down()
    {
        var server = new MySqlReplicaServer(Pair.ReplicaSettings(MariaDbReplicationPair.MonitorUser, WrongPassword));

        var error = await Assert.ThrowsAsync<BackupException>(() => server.IsUpAsync(CancellationToken.None));

        Assert.Contains("refused the login", error.Message);
        Assert.DoesNotContain(WrongPassword, error.ToString());
    }

    [Fact]
    public async Task A_frozen_server_is_down_after_the_connect_timeout_not_waited_on_forever()
    {
        var server = new MySqlReplicaServer(Pair.MonitorSettings(TimeSpan.FromSeconds(1)));
        await Pair.FreezeReplicaAsync(CancellationToken.None);

        Assert.False(await server.IsUpAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<BackupException>(() => server.ReadStateAsync(CancellationToken.None));
        Assert.StartsWith($"cannot connect to MySQL at 127.0.0.1:{Pair.Replica.Port} (user 'monitor')", error.Message);
    }

    [Fact]
    public async Task Cancellation_releases_a_call_stuck_on_a_frozen_server()
    {
        // The kernel accepts the connection but the server never greets: without honouring the
        // token the call would wait for its whole 60 s connect timeout.
        var server = new MySqlReplicaServer(Pair.MonitorSettings(TimeSpan.FromSeconds(60)));
        await Pair.FreezeReplicaAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.ReadStateAsync(cancellation.Token));
    }

    [Fact]
    public async Task Every_call_honours_an_already_cancelled_token()
    {
        var server = new MySqlReplicaServer(Pair.MonitorSettings());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.ReadStateAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.FindMissingPrivilegesAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.StopReplicationAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.StartReplicationAsync([], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.IsUpAsync(cancelled.Token));
        var status = await Pair.ReplicaStatusAsync(CancellationToken.None);
        Assert.Equal("Yes", status!["Slave_SQL_Running"]);
    }
}
