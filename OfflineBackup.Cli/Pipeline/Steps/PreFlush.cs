using NLog;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.MySql;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>How a pre-flush went: the dirty pages when it began and when it ended, and why it ended.</summary>
public sealed record PreFlushResult(DirtyPages AtStart, DirtyPages AtEnd, string Ending, TimeSpan Took)
{
    public override string ToString() =>
        $"dirty pages {AtStart.Dirty} -> {AtEnd.Dirty} of {AtEnd.Total} in {Durations.Human(Took)} ({Ending})";
}

/// <summary>
/// What a DBA does by hand before a cold backup of a busy server: while MySQL still runs (and
/// serves reads), let InnoDB write out its dirty pages, so that the shutdown has little left
/// to flush and the server is down for seconds instead of minutes. The two dirty-page limits
/// go to 0 (SET GLOBAL only: a restart undoes it) after their originals were handed to
/// <c>recordOriginals</c> (the journal), then the dirty pages are followed until they are few,
/// stop falling, or the timeout passes. Giving up at the timeout is not a failure: the stop
/// then flushes the rest, as it would have anyway. <see cref="PreFlushUndo"/> puts the limits back.
/// </summary>
public sealed class PreFlush(ServiceSettings settings, IInnoDbServer innoDb, TimeProvider clock, TimeSpan? pollInterval = null, TimeSpan? stallWindow = null)
{
    /// <summary>How often the dirty pages are read while InnoDB flushes.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>No new low for this long: the flushing has reached what a running server keeps dirty.</summary>
    public static readonly TimeSpan DefaultStallWindow = TimeSpan.FromSeconds(5);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>Few enough that the shutdown flushes them in a moment: 0.2% of the pool, at least 100 pages (1.6 MiB).</summary>
    public static long SmallEnough(long totalPages) => Math.Max(100, totalPages / 500);

    public PlannedStep Describe() => settings.PreFlush
        ? new($"pre-flush: set innodb_max_dirty_pages_pct and its _lwm to 0 (SET GLOBAL; originals kept in the journal and put back), wait up to {Durations.Human(settings.PreFlushTimeout)} for the dirty pages to be written")
        : new("no pre-flush (service.preflush is false): the shutdown flushes every dirty page");

    /// <summary>
    /// Runs the pre-flush, or returns null when it is switched off or the user may not change the
    /// limits (a warning in <paramref name="notices"/>: the backup goes on, only slower).
    /// </summary>
    public async Task<PreFlushResult?> RunAsync(Action<FlushLimits> recordOriginals, List<Notice> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordOriginals);
        ArgumentNullException.ThrowIfNull(notices);
        if (!settings.PreFlush)
        {
            return null;
        }

        var originals = (await innoDb.ReadAsync(cancellationToken)).Limits;
        recordOriginals(originals);
        try
        {
            await innoDb.SetLimitsAsync(FlushLimits.FlushEverything, cancellationToken);
        }
        catch (BackupException e) when (e.ExitCode == ExitCodes.PermissionDenied)
        {
            var text = $"no pre-flush, the stop will take longer: {e.Message}; or set service.preflush: false";
            Log.WithProperty("step", "preflush").Warn("{warning}", text);
            notices.Add(Notice.Warning(text));
            return null;
        }

        var started = clock.GetTimestamp();
        var deadline = clock.GetUtcNow() + settings.PreFlushTimeout;
        var first = await innoDb.ReadDirtyPagesAsync(cancellationToken);
        Log.WithProperty("step", "preflush").Info(
            "pre-flush started: {dirty} dirty pages of {total} ({originals} set to 0 until the stop)", first.Dirty, first.Total, originals);

        var current = first;
        var lowest = first.Dirty;
        var lowestAt = clock.GetUtcNow();
        string ending;
        while (true)
        {
            var now = clock.GetUtcNow();
            if (current.Dirty <= SmallEnough(current.Total))
            {
                ending = "few left";
                break;
            }

            if (now >= deadline)
            {
                ending = $"gave up after the timeout of {Durations.Human(settings.PreFlushTimeout)}; the stop flushes the rest";
                break;
            }

            if (now - lowestAt >= (stallWindow ?? DefaultStallWindow))
            {
                ending = "no longer falling";
                break;
            }

            var wait = pollInterval ?? DefaultPollInterval;
            await Task.Delay(deadline - now < wait ? deadline - now : wait, clock, cancellationToken);
            current = await innoDb.ReadDirtyPagesAsync(cancellationToken);
            if (current.Dirty < lowest)
            {
                (lowest, lowestAt) = (current.Dirty, clock.GetUtcNow());
            }
        }

        var result = new PreFlushResult(first, current, ending, clock.GetElapsedTime(started));
        Log.WithProperty("step", "preflush").Info("pre-flush done: {result}", result);
        return result;
    }
}
