using System.Globalization;

namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>The InnoDB adapter against the real MariaDB replica: what it reads, what it sets, and a user who may not.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MySqlInnoDbServerTests(MariaDbPairFixture fixture) : HealthyPairTests(fixture.Pair)
{
    [Fact]
    public async Task It_reads_the_limits_the_shutdown_settings_and_the_error_log()
    {
        var innoDb = new MySqlInnoDbServer(fixture.Pair.MonitorSettings());

        var state = await innoDb.ReadAsync(CancellationToken.None);
        var dirty = await innoDb.ReadDirtyPagesAsync(CancellationToken.None);

        Assert.Equal(await LimitsAsync(fixture.Pair), state.Limits);
        Assert.Equal(1, state.FastShutdown);
        Assert.True(state.DumpAtShutdown);
        Assert.Equal(fixture.Pair.Replica.ErrorLog, state.ErrorLog);
        // Whole seconds, and a test before this one may just have restarted the replica.
        var uptime = await fixture.Pair.Replica.QueryAsync("SHOW GLOBAL STATUS LIKE 'Uptime'", CancellationToken.None);
        var seconds = Convert.ToDouble(uptime[0]["Value"], CultureInfo.InvariantCulture);
        Assert.InRange(state.Uptime.TotalSeconds, Math.Max(0, seconds - 60), seconds);
        // 16 MiB of 16 KiB pages, less what InnoDB keeps for itself.
        Assert.InRange(dirty.Total, 500, 1024);
        Assert.InRange(dirty.Dirty, 0, dirty.Total);
    }

    [Fact]
    public async Task It_sets_both_limits_in_either_direction_with_set_global_only()
    {
        var innoDb = new MySqlInnoDbServer(fixture.Pair.MonitorSettings());
        var before = await LimitsAsync(fixture.Pair);
        try
        {
            await innoDb.SetLimitsAsync(FlushLimits.FlushEverything, CancellationToken.None);
            Assert.Equal(FlushLimits.FlushEverything, await LimitsAsync(fixture.Pair));

            var distinct = new FlushLimits(77.5, 12);
            await innoDb.SetLimitsAsync(distinct, CancellationToken.None);
            Assert.Equal(distinct, await LimitsAsync(fixture.Pair));
        }
        finally
        {
            await innoDb.SetLimitsAsync(before, CancellationToken.None);
        }

        Assert.Equal(before, await LimitsAsync(fixture.Pair));
    }

    [Fact]
    public async Task A_user_without_super_is_told_the_grant()
    {
        await fixture.Pair.Replica.ExecuteAsync(
            "CREATE USER IF NOT EXISTS 'watcher'@'%' IDENTIFIED BY 'Watcher-Pw-1'; GRANT SLAVE MONITOR ON *.* TO 'watcher'@'%'",
            CancellationToken.None);
        var innoDb = new MySqlInnoDbServer(fixture.Pair.ReplicaSettings("watcher", "Watcher-Pw-1"));
        var before = await LimitsAsync(fixture.Pair);

        var e = await Assert.ThrowsAsync<BackupException>(() => innoDb.SetLimitsAsync(FlushLimits.FlushEverything, CancellationToken.None));

        Assert.Equal(ExitCodes.PermissionDenied, e.ExitCode);
        Assert.Contains("GRANT SUPER ON *.* TO 'watcher'@'%';", e.Message);
        Assert.Equal(before, await LimitsAsync(fixture.Pair));
    }

    [Fact]
    public async Task It_dumps_the_buffer_pool_on_request()
    {
        var innoDb = new MySqlInnoDbServer(fixture.Pair.MonitorSettings());
        var dataDirectory = Convert.ToString(await fixture.Pair.Replica.ScalarAsync("SELECT @@datadir", CancellationToken.None), CultureInfo.InvariantCulture)!;
        var dump = Path.Combine(dataDirectory, "ib_buffer_pool");
        File.Delete(dump);

        await innoDb.DumpBufferPoolNowAsync(CancellationToken.None);

        // The server writes the dump in the background; its status says when it is done.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!Convert.ToString((await fixture.Pair.Replica.QueryAsync("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_dump_status'", patience.Token))[0]["Value"], CultureInfo.InvariantCulture)!
            .Contains("dump completed", StringComparison.OrdinalIgnoreCase) || !File.Exists(dump))
        {
            await Task.Delay(100, patience.Token);
        }

        Assert.True(new FileInfo(dump).Length > 0);
    }

    /// <summary>The replica's two limits as root reads them.</summary>
    internal static async Task<FlushLimits> LimitsAsync(MariaDbReplicationPair pair)
    {
        var pct = await pair.Replica.ScalarAsync("SELECT @@GLOBAL.innodb_max_dirty_pages_pct", CancellationToken.None);
        var lwm = await pair.Replica.ScalarAsync("SELECT @@GLOBAL.innodb_max_dirty_pages_pct_lwm", CancellationToken.None);
        return new FlushLimits(Convert.ToDouble(pct, CultureInfo.InvariantCulture), Convert.ToDouble(lwm, CultureInfo.InvariantCulture));
    }
}
