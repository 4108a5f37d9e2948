namespace OfflineBackup.MySql;

/// <summary>
/// The two dirty-page limits the pre-flush lowers to 0 and puts back: the values a journal
/// records before they are changed. Doubles because MySQL and MariaDB keep them as such.
/// </summary>
public sealed record FlushLimits(double MaxDirtyPagesPct, double MaxDirtyPagesPctLwm)
{
    /// <summary>What the pre-flush sets: InnoDB flushes every dirty page it can.</summary>
    public static readonly FlushLimits FlushEverything = new(0, 0);

    public override string ToString() =>
        FormattableString.Invariant($"innodb_max_dirty_pages_pct={MaxDirtyPagesPct} innodb_max_dirty_pages_pct_lwm={MaxDirtyPagesPctLwm}");
}

/// <summary>The buffer pool's dirty pages and its size in pages.</summary>
public sealed record DirtyPages(long Dirty, long Total);

/// <summary>
/// What the tool reads of InnoDB before a stop: the flush limits, how it will shut down
/// (<c>innodb_fast_shutdown</c>, whether the buffer pool is dumped), where the error log is
/// (<c>@@log_error</c>, resolved against <c>@@datadir</c>; empty when it goes to stderr), and
/// how long the server has been up (to tell whether it was restarted since a change).
/// </summary>
public sealed record InnoDbState(
    FlushLimits Limits,
    int FastShutdown,
    bool DumpAtShutdown,
    string ErrorLog,
    TimeSpan Uptime);

/// <summary>
/// InnoDB's side of a clean, quick stop. Only SET GLOBAL, never SET PERSIST: whatever this
/// changes is gone after a restart. Failures are BackupException like the replica's (exit 6,
/// or 11 with the GRANT when a privilege is missing).
/// </summary>
public interface IInnoDbServer
{
    Task<InnoDbState> ReadAsync(CancellationToken cancellationToken);

    Task<DirtyPages> ReadDirtyPagesAsync(CancellationToken cancellationToken);

    /// <summary>SET GLOBAL of both limits, in the order the server accepts (the low-water mark never above the limit).</summary>
    Task SetLimitsAsync(FlushLimits limits, CancellationToken cancellationToken);

    /// <summary>SET GLOBAL innodb_buffer_pool_dump_now = ON: a warm restart even without dump-at-shutdown.</summary>
    Task DumpBufferPoolNowAsync(CancellationToken cancellationToken);
}
