namespace OfflineBackup.Tests.Integration.Run;

/// <summary>
/// The base of a test class whose runs pre-flush the shared replica. Before each test the pair is
/// reset to healthy and the replica given dirty-page limits of the class's own
/// (<see cref="Before"/>, not the defaults), so that putting back the defaults, or leaving a
/// restart to do it, would be caught. After each test the pair is reset and the server's own
/// limits and fast shutdown are put back for whatever runs next on the pair.
/// </summary>
public abstract class PreFlushLimitsTests(MariaDbReplicationPair pair, FlushLimits before) : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private FlushLimits? _defaults;

    /// <summary>The limits the replica has when each test starts.</summary>
    protected FlushLimits Before => before;

    /// <summary>The server's own limits, as they were before the test set <see cref="Before"/>.</summary>
    protected FlushLimits Defaults => _defaults ?? throw new InvalidOperationException("read in InitializeAsync");

    public async Task InitializeAsync()
    {
        await pair.ResetToHealthyAsync(CancellationToken.None);
        _defaults = await MySqlInnoDbServerTests.LimitsAsync(pair);
        await SetLimitsAsync(before);
    }

    public async Task DisposeAsync()
    {
        await pair.ResetToHealthyAsync(CancellationToken.None);
        await pair.Replica.ExecuteAsync("SET GLOBAL innodb_fast_shutdown = 1", CancellationToken.None);
        if (_defaults is not null)
        {
            await SetLimitsAsync(_defaults);
        }
    }

    protected Task<FlushLimits> LimitsNowAsync() => MySqlInnoDbServerTests.LimitsAsync(pair);

    protected Task SetLimitsAsync(FlushLimits limits) =>
        new MySqlInnoDbServer(pair.MonitorSettings()).SetLimitsAsync(limits, CancellationToken.None);
}
