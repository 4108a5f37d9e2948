using OfflineBackup.Errors;

namespace OfflineBackup.Freezing;

/// <summary>
/// A filesystem frozen by this run: a scope, made by <see cref="PreparedFreeze.FreezeAsync"/> (or
/// <see cref="FreezeAsync"/>, which prepares and freezes at once); <see cref="Thaw"/> thaws and tells the
/// watchdog, and disposing (which thaws too) waits for the watchdog to exit. Thawing is
/// synchronous on purpose: an ioctl and a pipe write, safe in finally blocks and signal paths
/// where nothing should be awaited, and quick, since a server lock waits on it.
/// </summary>
public sealed class FrozenFilesystem : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan LongestFreeze = TimeSpan.FromHours(1);

    private readonly FreezeWatchdog _watchdog;
    private readonly TimeProvider _clock;
    private readonly long _frozenAt;
    private readonly Lock _thawing = new();
    private ThawOutcome? _outcome;

    private FrozenFilesystem(FreezeRecord record, FreezeWatchdog watchdog, TimeProvider clock, long frozenAt)
    {
        Record = record;
        _watchdog = watchdog;
        _clock = clock;
        _frozenAt = frozenAt;
    }

    public FreezeRecord Record { get; }

    public string MountPoint => Record.MountPoint;

    /// <summary>
    /// Freezes the filesystem holding <paramref name="path"/> for at most <paramref name="maxFrozen"/>:
    /// <see cref="PreparedFreeze.PrepareAsync"/> then <see cref="PreparedFreeze.FreezeAsync"/>, for
    /// callers with nothing to do in between. <paramref name="recorded"/> runs after the watchdog
    /// started and before the freeze (the journal write); if it throws, nothing is frozen and the
    /// watchdog is ended.
    /// </summary>
    public static async Task<FrozenFilesystem> FreezeAsync(
        string path, IEnumerable<string> toolPaths, TimeSpan maxFrozen, TimeProvider clock, Action<FreezeRecord>? recorded, CancellationToken cancellationToken)
    {
        CheckLength(maxFrozen);
        using var prepared = await PreparedFreeze.PrepareAsync(path, toolPaths, clock, cancellationToken);
        var record = prepared.RecordUntil(clock.GetUtcNow() + maxFrozen);
        recorded?.Invoke(record);
        return await prepared.FreezeAsync(maxFrozen, record, cancellationToken);
    }

    internal static void CheckLength(TimeSpan maxFrozen)
    {
        if (maxFrozen <= TimeSpan.Zero || maxFrozen > LongestFreeze)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrozen), maxFrozen, "a freeze lasts more than zero and at most an hour");
        }
    }

    /// <summary>Called by <see cref="PreparedFreeze"/> once FIFREEZE succeeded; the watchdog is now this scope's.</summary>
    internal static FrozenFilesystem Frozen(FreezeRecord record, FreezeWatchdog watchdog, TimeProvider clock, long frozenAt) =>
        new(record, watchdog, clock, frozenAt);

    /// <summary>Thaws, stands the watchdog down, says how long it was frozen. Idempotent: later calls return the first outcome.</summary>
    public ThawOutcome Thaw()
    {
        lock (_thawing)
        {
            if (_outcome is not null)
            {
                return _outcome;
            }

            var errno = FsFreezeCalls.Thaw(MountPoint);
            var frozen = _clock.GetElapsedTime(_frozenAt);
            var thawed = errno is 0 or FsFreezeCalls.Invalid;

            // Not thawed: the watchdog, told nothing, thaws at once with fsfreeze -u. Its exit is
            // awaited on dispose, not here: the caller has a server lock to release first.
            _watchdog.Release(thawed);
            _outcome = new ThawOutcome(MountPoint, frozen, errno == FsFreezeCalls.Invalid,
                thawed ? null : $"thawing {MountPoint} failed ({FsFreezeCalls.Describe(errno)}); its watchdog was told to thaw it at once");
            return _outcome;
        }
    }

    /// <summary>Thaws if not yet done, then waits (bounded) for the watchdog to exit.</summary>
    public void Dispose()
    {
        Thaw();
        _watchdog.Dispose();
    }

    /// <summary>Thaws if not yet done, then waits (bounded) for the watchdog to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        Thaw();
        await _watchdog.StopAsync();
        _watchdog.Dispose();
    }

    /// <summary>
    /// The next run's recovery of a freeze the journal recorded: ends the watchdog if that very
    /// process still runs, then thaws (harmless when the filesystem is not frozen).
    /// </summary>
    public static async Task<LeftoverThaw> ThawLeftoverAsync(FreezeRecord record, TimeProvider clock, CancellationToken cancellationToken)
    {
        var ended = false;
        string? problem = null;
        try
        {
            ended = await FreezeWatchdog.EndLeftoverAsync(record.WatchdogPid, record.WatchdogStartTicks, clock, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            // Thawed all the same below: a watchdog that lives on can only thaw again, harmlessly.
            problem = e.Message;
        }

        var errno = FsFreezeCalls.Thaw(record.MountPoint);
        return errno switch
        {
            0 => new LeftoverThaw(record.MountPoint, true, ended, problem),
            FsFreezeCalls.Invalid or FsFreezeCalls.NoSuchFile => new LeftoverThaw(record.MountPoint, false, ended, problem),
            _ => new LeftoverThaw(record.MountPoint, false, ended,
                $"cannot thaw {record.MountPoint}, which a dead run froze: {FsFreezeCalls.Describe(errno)}; run `fsfreeze -u {record.MountPoint}` as root"),
        };
    }

    internal static string FreezeFailure(string mountPoint, int errno) => errno switch
    {
        FsFreezeCalls.Busy => $"cannot freeze {mountPoint}: it is already frozen, by something other than this run; left as it is. "
            + $"Find who froze it before running `fsfreeze -u {mountPoint}`",
        FsFreezeCalls.NotSupported => $"cannot freeze {mountPoint}: its filesystem type does not support freezing; set freeze_filesystem: false",
        FsFreezeCalls.NotPermitted => $"cannot freeze {mountPoint}: freezing needs root (CAP_SYS_ADMIN)",
        _ => $"cannot freeze {mountPoint}: {FsFreezeCalls.Describe(errno)}",
    };
}
