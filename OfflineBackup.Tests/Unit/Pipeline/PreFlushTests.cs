namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>The pre-flush's decisions on fake time: when it ends, and that the originals are recorded before anything changes.</summary>
public sealed class PreFlushTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeInnoDbServer _innoDb = new() { Limits = new(75, 10) };
    private readonly List<string> _order = [];
    private readonly List<Notice> _notices = [];

    [Fact]
    public async Task It_records_the_originals_before_it_lowers_the_limits_and_ends_when_few_pages_are_left()
    {
        foreach (var dirty in new long[] { 40_000, 20_000, 5_000, 90 })
        {
            _innoDb.Dirty.Enqueue(dirty);
        }

        _innoDb.Dirty.Dequeue();
        var result = await RunAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(["record innodb_max_dirty_pages_pct=75 innodb_max_dirty_pages_pct_lwm=10", "set innodb_max_dirty_pages_pct=0 innodb_max_dirty_pages_pct_lwm=0"], _order.Take(2));
        Assert.NotNull(result);
        Assert.Equal(40_000, result.AtStart.Dirty);
        Assert.Equal(90, result.AtEnd.Dirty);
        Assert.Equal("few left", result.Ending);
        Assert.Equal(TimeSpan.FromSeconds(1.5), result.Took);
        Assert.Empty(_notices);
    }

    [Fact]
    public async Task It_gives_up_at_its_timeout_while_pages_still_fall()
    {
        _innoDb.Dirty.Clear();
        for (long dirty = 60_000; dirty > 0; dirty -= 100)
        {
            _innoDb.Dirty.Enqueue(dirty);
        }

        var result = await RunAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(result);
        Assert.StartsWith("gave up after the timeout", result.Ending);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Took);
        Assert.True(result.AtEnd.Dirty > PreFlush.SmallEnough(result.AtEnd.Total));
    }

    [Fact]
    public async Task It_stops_waiting_when_the_dirty_pages_no_longer_fall()
    {
        _innoDb.Dirty.Clear();
        foreach (var dirty in new long[] { 30_000, 12_000, 11_000, 11_500, 11_200 })
        {
            _innoDb.Dirty.Enqueue(dirty);
        }

        var result = await RunAsync(TimeSpan.FromMinutes(5));

        Assert.NotNull(result);
        Assert.Equal("no longer falling", result.Ending);
        // The last new low (11,000) came at 1 s; five seconds without a new one end it.
        Assert.Equal(TimeSpan.FromSeconds(6), result.Took);
    }

    [Fact]
    public async Task Switched_off_it_changes_and_records_nothing()
    {
        var result = await RunAsync(TimeSpan.FromMinutes(5), preFlush: false);

        Assert.Null(result);
        Assert.Empty(_order);
        Assert.Empty(_innoDb.Calls);
    }

    [Fact]
    public async Task A_user_who_may_not_set_the_limits_gets_a_warning_and_the_backup_goes_on()
    {
        _innoDb.SetFails = new BackupException(ExitCodes.PermissionDenied, "MySQL denied setting ...; the user needs SUPER: GRANT SUPER ON *.* TO 'monitor'@'%';");

        var result = await RunAsync(TimeSpan.FromMinutes(5));

        Assert.Null(result);
        var warning = Assert.Single(_notices);
        Assert.Contains("GRANT SUPER", warning.Text);
        Assert.Contains("service.preflush: false", warning.Text);
        Assert.Equal(new FlushLimits(75, 10), _innoDb.Limits);
    }

    [Theory]
    [InlineData(1_024, 100)]
    [InlineData(65_536, 131)]
    [InlineData(1_048_576, 2_097)]
    public void Few_enough_is_a_small_share_of_the_pool(long total, long expected) =>
        Assert.Equal(expected, PreFlush.SmallEnough(total));

    private async Task<PreFlushResult?> RunAsync(TimeSpan timeout, bool preFlush = true)
    {
        var settings = new ServiceSettings("true", "true", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), null, RestartAfter.Completed, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1))
        {
            PreFlush = preFlush,
            PreFlushTimeout = timeout,
        };
        // Fake time that jumps by exactly each wait the step starts: the step's clock reads as if
        // its polls had passed, none of them in real time.
        var clock = new SelfAdvancingTimeProvider(Start);
        var step = new PreFlush(settings, new RecordingInnoDb(_innoDb, _order), clock);
        return await step.RunAsync(originals => _order.Add($"record {originals}"), _notices, CancellationToken.None);
    }

    /// <summary>Notes each change in the same list as the journal record, to see their order.</summary>
    private sealed class RecordingInnoDb(FakeInnoDbServer inner, List<string> order) : IInnoDbServer
    {
        public Task<InnoDbState> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public Task<DirtyPages> ReadDirtyPagesAsync(CancellationToken cancellationToken) => inner.ReadDirtyPagesAsync(cancellationToken);

        public async Task SetLimitsAsync(FlushLimits limits, CancellationToken cancellationToken)
        {
            await inner.SetLimitsAsync(limits, cancellationToken);
            order.Add($"set {limits}");
        }

        public Task DumpBufferPoolNowAsync(CancellationToken cancellationToken) => inner.DumpBufferPoolNowAsync(cancellationToken);
    }
}
