namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>What the user may do, judged by the real server's SHOW GRANTS and privilege checks.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MySqlReplicaServerPrivilegeTests(MariaDbPairFixture fixture) : HealthyPairTests(fixture.Pair)
{
    private const string Password = "Limited-User-Pw-5150";
    private static int s_users;

    /// <summary>A new account created on the primary, replicated to the replica like any grant.</summary>
    private async Task<MySqlReplicaServer> UserWithAsync(string? privileges)
    {
        var user = $"limited{Interlocked.Increment(ref s_users)}";
        var sql = $"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{Password}';";
        if (privileges is not null)
        {
            sql += $" GRANT {privileges} ON *.* TO '{user}'@'127.0.0.1';";
        }

        await Pair.Primary.ExecuteAsync(sql, CancellationToken.None);
        await Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        return new MySqlReplicaServer(Pair.ReplicaSettings(user, Password));
    }

    [Fact]
    public async Task The_least_privilege_monitor_user_lacks_nothing()
    {
        var missing = await new MySqlReplicaServer(Pair.MonitorSettings()).FindMissingPrivilegesAsync(CancellationToken.None);

        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_user_without_SLAVE_MONITOR_is_told_the_exact_grant_and_the_grant_works()
    {
        var server = await UserWithAsync("REPLICATION CLIENT, REPLICATION SLAVE ADMIN");

        var missing = Assert.Single(await server.FindMissingPrivilegesAsync(CancellationToken.None));

        Assert.Equal("SLAVE MONITOR", missing.Privilege);
        Assert.Matches(@"^GRANT SLAVE MONITOR ON \*\.\* TO 'limited\d+'@'127\.0\.0\.1';$", missing.GrantStatement);
        await Pair.Primary.ExecuteAsync(missing.GrantStatement, CancellationToken.None);
        await Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        Assert.Empty(await server.FindMissingPrivilegesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_user_with_no_privileges_is_told_both_grants()
    {
        var server = await UserWithAsync(null);

        var missing = await server.FindMissingPrivilegesAsync(CancellationToken.None);

        Assert.Equal(["SLAVE MONITOR", "REPLICATION SLAVE ADMIN"], missing.Select(m => m.Privilege));
        foreach (var grant in missing)
        {
            await Pair.Primary.ExecuteAsync(grant.GrantStatement, CancellationToken.None);
        }

        await Pair.WaitForReplicaCaughtUpAsync(CancellationToken.None);
        Assert.Empty(await server.FindMissingPrivilegesAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("SUPER")]
    [InlineData("ALL PRIVILEGES")]
    public async Task Broad_privileges_satisfy_the_checks(string privileges)
    {
        var server = await UserWithAsync(privileges);

        Assert.Empty(await server.FindMissingPrivilegesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reading_the_state_without_SLAVE_MONITOR_fails_with_the_grant()
    {
        var server = await UserWithAsync("REPLICATION CLIENT");

        var error = await Assert.ThrowsAsync<BackupException>(() => server.ReadStateAsync(CancellationToken.None));

        AssertDenied(error, "SLAVE MONITOR");
    }

    [Fact]
    public async Task One_inspection_gives_what_the_two_reads_give_for_the_monitor_user()
    {
        var server = new MySqlReplicaServer(Pair.MonitorSettings());

        var inspection = await server.InspectAsync(CancellationToken.None);
        var state = await server.ReadStateAsync(CancellationToken.None);

        Assert.Null(inspection.StateError);
        Assert.Equal(state.Version, inspection.RequireState().Version);
        Assert.Equal(state.ReadOnly, inspection.RequireState().ReadOnly);
        Assert.Equal(state.Channels.Select(c => (c.Name, c.IoRunning, c.SqlRunning)), inspection.RequireState().Channels.Select(c => (c.Name, c.IoRunning, c.SqlRunning)));
        Assert.Empty(inspection.RequireMissing());
    }

    [Fact]
    public async Task One_inspection_without_SLAVE_MONITOR_refuses_the_state_and_names_the_grant_as_missing()
    {
        var server = await UserWithAsync("REPLICATION CLIENT, REPLICATION SLAVE ADMIN");

        var inspection = await server.InspectAsync(CancellationToken.None);

        var error = Assert.Throws<BackupException>(() => inspection.RequireState());
        AssertDenied(error, "SLAVE MONITOR");
        Assert.Equal(
            (await server.FindMissingPrivilegesAsync(CancellationToken.None)).Select(m => m.GrantStatement),
            inspection.RequireMissing().Select(m => m.GrantStatement));
        Assert.Equal("SLAVE MONITOR", Assert.Single(inspection.RequireMissing()).Privilege);
    }

    [Fact]
    public async Task One_inspection_with_a_refused_login_fails_as_a_whole_with_6()
    {
        var server = new MySqlReplicaServer(Pair.ReplicaSettings("monitor", "wrong-password"));

        var error = await Assert.ThrowsAsync<BackupException>(() => server.InspectAsync(CancellationToken.None));

        Assert.Equal(ExitCodes.ReplicaUnhealthy, error.ExitCode);
    }

    [Fact]
    public async Task Stopping_replication_without_REPLICATION_SLAVE_ADMIN_fails_with_the_grant_and_stops_nothing()
    {
        var server = await UserWithAsync("SLAVE MONITOR");

        var error = await Assert.ThrowsAsync<BackupException>(() => server.StopReplicationAsync(CancellationToken.None));

        AssertDenied(error, "REPLICATION SLAVE ADMIN");
        var status = await Pair.ReplicaStatusAsync(CancellationToken.None);
        Assert.Equal("Yes", status!["Slave_SQL_Running"]);
    }

    /// <summary>A denied privilege: exit 11, a message naming the GRANT that gives it, and never the password.</summary>
    private static void AssertDenied(BackupException error, string privilege)
    {
        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.Contains($"GRANT {privilege} ON *.* TO 'limited", error.Message);
        Assert.DoesNotContain(Password, error.ToString());
    }
}
