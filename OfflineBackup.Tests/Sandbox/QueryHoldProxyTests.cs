namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// The proxy that holds one query, between the tool's own MySQL adapter (MySql.Data, TLS
/// preferred) and the real replica: the held statement reaches the server only on release,
/// other connections pass meanwhile, and Dispose ends a held connection without forwarding it.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class QueryHoldProxyTests(MariaDbPairFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly FlushLimits Start = new(66, 3);
    private static readonly FlushLimits Wanted = new(55, 7);
    private FlushLimits? _defaults;

    public async Task InitializeAsync()
    {
        await fixture.Pair.ResetToHealthyAsync(CancellationToken.None);
        _defaults = await MySqlInnoDbServerTests.LimitsAsync(fixture.Pair);
        await Direct.SetLimitsAsync(Start, CancellationToken.None);
    }

    public Task DisposeAsync() => Direct.SetLimitsAsync(_defaults!, CancellationToken.None);

    private MySqlInnoDbServer Direct => new(fixture.Pair.MonitorSettings());

    [Fact]
    public async Task A_held_query_reaches_the_server_only_when_released_and_other_connections_pass_meanwhile()
    {
        await using var proxy = HoldingTheLimit();
        var through = Through(proxy);

        // Lowering: the adapter sets the low-water mark first, then the limit, which is held.
        var setting = through.SetLimitsAsync(Wanted, CancellationToken.None);
        var held = await proxy.Held.WaitAsync(Patience);

        Assert.Equal("SET GLOBAL innodb_max_dirty_pages_pct = 55", held);
        Assert.Equal(Start with { MaxDirtyPagesPctLwm = Wanted.MaxDirtyPagesPctLwm }, await MySqlInnoDbServerTests.LimitsAsync(fixture.Pair));
        // Another connection through the proxy is served while the first one waits.
        Assert.Equal(Start.MaxDirtyPagesPct, (await through.ReadAsync(CancellationToken.None)).Limits.MaxDirtyPagesPct);
        Assert.False(setting.IsCompleted);

        proxy.Release();
        await setting.WaitAsync(Patience);

        Assert.Equal(Wanted, await MySqlInnoDbServerTests.LimitsAsync(fixture.Pair));
        // The proxy read the conversation, so it stayed in plain text although the client prefers TLS.
        Assert.Contains(proxy.Queries, q => q.StartsWith("SELECT @@GLOBAL.innodb_max_dirty_pages_pct", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispose_ends_a_held_connection_and_never_forwards_its_query()
    {
        var proxy = HoldingTheLimit();
        var setting = Through(proxy).SetLimitsAsync(Wanted, CancellationToken.None);
        await proxy.Held.WaitAsync(Patience);

        await proxy.DisposeAsync();

        await Assert.ThrowsAsync<BackupException>(() => setting.WaitAsync(Patience));
        Assert.Equal(Start.MaxDirtyPagesPct, (await MySqlInnoDbServerTests.LimitsAsync(fixture.Pair)).MaxDirtyPagesPct);
    }

    private QueryHoldProxy HoldingTheLimit() =>
        QueryHoldProxy.Start(fixture.Pair.Replica.Host, fixture.Pair.Replica.Port, sql => sql == "SET GLOBAL innodb_max_dirty_pages_pct = 55");

    private MySqlInnoDbServer Through(QueryHoldProxy proxy) =>
        new(fixture.Pair.MonitorSettings() with { Host = "127.0.0.1", Port = proxy.Port });
}
