using System.Text;
using NLog;
using OfflineBackup.Errors;
using OfflineBackup.MySql;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>Where the error log stood just before the stop: what <see cref="CleanShutdown.ConfirmAsync"/> reads on from.</summary>
public sealed record ShutdownWatch(string ErrorLog, long Offset);

/// <summary>
/// A snapshot is only as good as the shutdown before it. Before the stop: refuse a slow-only
/// shutdown (<c>innodb_fast_shutdown = 2</c> leaves InnoDB needing crash recovery, so a
/// restore would start with one), make sure the buffer pool is dumped so the restarted replica
/// warms quickly, and note where the error log ends. After the stop: the server must have
/// written that its shutdown completed, or the backup fails (exit 7, no snapshot).
/// </summary>
public sealed class CleanShutdown(IInnoDbServer innoDb)
{
    /// <summary>The line MySQL and MariaDB write last in a clean shutdown ("Shutdown complete" / "Shutdown completed").</summary>
    public const string CompletedMarker = "Shutdown complete";

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public static PlannedStep Describe() =>
        new("check innodb_fast_shutdown is not 2, dump the buffer pool unless the server dumps it at shutdown, note the end of MySQL's error log");

    /// <summary>The refusal (for the guard and just before the stop), or null when the shutdown will be clean.</summary>
    public static string? Refusal(InnoDbState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.FastShutdown == 2
            ? "innodb_fast_shutdown is 2: MySQL would stop like a crash and the snapshot would need InnoDB crash recovery "
              + "to be usable. Fix: SET GLOBAL innodb_fast_shutdown = 1 (and remove innodb_fast_shutdown = 2 from my.cnf)"
            : null;
    }

    /// <summary>Just before the stop: refuses a crash-like shutdown, asks for a buffer pool dump if the server would not make one, notes the error log's end.</summary>
    public async Task<ShutdownWatch> PrepareAsync(List<Notice> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var state = await innoDb.ReadAsync(cancellationToken);
        if (Refusal(state) is { } refusal)
        {
            throw new BackupException(ExitCodes.ReplicaUnhealthy, refusal);
        }

        if (!state.DumpAtShutdown)
        {
            // The dump is written asynchronously and only takes a snapshot of the page list: cheap.
            await innoDb.DumpBufferPoolNowAsync(cancellationToken);
            Log.WithProperty("step", "stop").Info("innodb_buffer_pool_dump_at_shutdown is off: dumped the buffer pool now, for a warm restart");
        }

        var dirty = await innoDb.ReadDirtyPagesAsync(cancellationToken);
        Log.WithProperty("step", "stop").Info("dirty pages at the stop: {dirty} of {total}", dirty.Dirty, dirty.Total);
        if (state.ErrorLog.Length == 0)
        {
            var text = "MySQL logs to stderr (@@log_error is empty): the tool cannot confirm from the error log that the shutdown was clean";
            Log.WithProperty("step", "stop").Warn("{warning}", text);
            notices.Add(Notice.Warning(text));
            return new ShutdownWatch(string.Empty, 0);
        }

        return new ShutdownWatch(state.ErrorLog, LengthOf(state.ErrorLog, notices));
    }

    /// <summary>After the stop: throws (exit 7) unless the error log says the shutdown completed.</summary>
    public static async Task ConfirmAsync(ShutdownWatch watch, List<Notice> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(notices);
        if (watch.ErrorLog.Length == 0 || watch.Offset < 0)
        {
            return;
        }

        string written;
        try
        {
            await using var log = new FileStream(watch.ErrorLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // A log rotated (or truncated) during the stop is read from its start.
            log.Seek(log.Length >= watch.Offset ? watch.Offset : 0, SeekOrigin.Begin);
            using var reader = new StreamReader(log, Encoding.UTF8);
            written = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CannotCheck(watch.ErrorLog, e.Message, notices);
            return;
        }

        if (!written.Contains(CompletedMarker, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException(
                ExitCodes.StopTimedOut,
                $"MySQL stopped without a clean shutdown: its error log {watch.ErrorLog} has no \"{CompletedMarker}\" since the stop was requested "
                + "(it may have crashed or been killed). No snapshot was taken: a crash-like copy needs recovery. Look at the error log");
        }

        Log.WithProperty("step", "stop").Info("the error log {path} confirms a clean shutdown", watch.ErrorLog);
    }

    private static long LengthOf(string path, List<Notice> notices)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CannotCheck(path, e.Message, notices);
            return -1;
        }
    }

    private static void CannotCheck(string path, string why, List<Notice> notices)
    {
        var text = $"cannot read MySQL's error log {path} ({why}): the tool cannot confirm that the shutdown was clean";
        Log.WithProperty("step", "stop").Warn("{warning}", text);
        notices.Add(Notice.Warning(text));
    }
}
