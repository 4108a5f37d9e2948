using OfflineBackup.Errors;

namespace OfflineBackup.Freezing;

/// <summary>
/// A freeze made ready, so that what is slow happens before commits are blocked: the check, the
/// watchdog process started (fork and exec of bash) and, by the caller, the journal's record of it.
/// <see cref="FreezeAsync"/> is all that remains for the moment under the lock: one pipe write
/// (the watchdog's countdown starts) and FIFREEZE. Disposing one that was not frozen ends the
/// watchdog quietly; a frozen one's watchdog belongs to the <see cref="FrozenFilesystem"/>.
/// </summary>
public sealed class PreparedFreeze : IDisposable, IAsyncDisposable
{
    private readonly FreezeWatchdog _watchdog;
    private readonly TimeProvider _clock;
    private int _done;

    private PreparedFreeze(string mountPoint, FreezeWatchdog watchdog, TimeProvider clock)
    {
        MountPoint = mountPoint;
        _watchdog = watchdog;
        _clock = clock;
    }

    public string MountPoint { get; }

    /// <summary>
    /// Checks the filesystem holding <paramref name="path"/> and starts its watchdog, not yet
    /// counting. Refused (exit 2, nothing touched) as <see cref="FreezeCheck"/> refuses; a
    /// watchdog that does not start is exit 8.
    /// </summary>
    public static async Task<PreparedFreeze> PrepareAsync(string path, IEnumerable<string> toolPaths, TimeProvider clock, CancellationToken cancellationToken)
    {
        var verdict = FreezeCheck.OnHost(path, toolPaths);
        if (!verdict.Allowed)
        {
            throw new ConfigurationException(verdict.Refusal!);
        }

        var mountPoint = verdict.Mount!.MountPoint;
        try
        {
            return new PreparedFreeze(mountPoint, await FreezeWatchdog.StartAsync(mountPoint, clock, cancellationToken), clock);
        }
        catch (InvalidOperationException e)
        {
            throw new BackupException(ExitCodes.SnapshotFailed, $"cannot freeze {mountPoint}: {e.Message}", e);
        }
    }

    /// <summary>The journal's record: the watchdog to end and the filesystem to thaw, with the latest thaw the caller can promise.</summary>
    public FreezeRecord RecordUntil(DateTimeOffset deadline) => new(MountPoint, _watchdog.Identity.Pid, _watchdog.Identity.StartTicks, deadline);

    /// <summary>
    /// Freezes for at most <paramref name="maxFrozen"/>, counted from just before FIFREEZE (writers
    /// block from its start: it bars writes, then syncs). A freeze that fails (exit 8) leaves
    /// nothing frozen and ends the watchdog; so does one the watchdog's deadline overtook.
    /// </summary>
    public Task<FrozenFilesystem> FreezeAsync(TimeSpan maxFrozen, CancellationToken cancellationToken) =>
        FreezeAsync(maxFrozen, null, cancellationToken);

    internal async Task<FrozenFilesystem> FreezeAsync(TimeSpan maxFrozen, FreezeRecord? record, CancellationToken cancellationToken)
    {
        FrozenFilesystem.CheckLength(maxFrozen);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _done) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var frozen = false;
        try
        {
            // Armed before FIFREEZE, not after: a tool that hangs in between is then covered by the
            // countdown; one that dies in between, by the closed pipe.
            var deadline = _clock.GetUtcNow() + maxFrozen;
            var frozenAt = _clock.GetTimestamp();
            if (!_watchdog.Arm(maxFrozen))
            {
                throw new BackupException(ExitCodes.SnapshotFailed, $"cannot freeze {MountPoint}: its watchdog process is gone");
            }

            // Not cancellable: the sync writes out the filesystem's dirty data, which takes what it takes.
            var errno = await Task.Run(() => FsFreezeCalls.Freeze(MountPoint), CancellationToken.None);
            if (errno != 0)
            {
                throw new BackupException(ExitCodes.SnapshotFailed, FrozenFilesystem.FreezeFailure(MountPoint, errno));
            }

            if (_clock.GetElapsedTime(frozenAt) >= maxFrozen)
            {
                // Stalled between the arming and the freeze past the deadline: the watchdog may have
                // thawed and gone before FIFREEZE, leaving this freeze unguarded. Ours to undo.
                _ = FsFreezeCalls.Thaw(MountPoint);
                throw new BackupException(ExitCodes.SnapshotFailed, $"cannot freeze {MountPoint}: the freeze took longer than its limit "
                    + $"({maxFrozen.TotalMilliseconds:0} ms) and was undone at once");
            }

            frozen = true;
            Volatile.Write(ref _done, 1);
            return FrozenFilesystem.Frozen(record ?? RecordUntil(deadline), _watchdog, _clock, frozenAt);
        }
        finally
        {
            if (!frozen)
            {
                // "thawed": nothing of ours is frozen, and a filesystem someone else froze (EBUSY) stays as they left it.
                Dispose();
            }
        }
    }

    /// <summary>Unless frozen: ends the watchdog quietly (nothing of ours to thaw), waiting (bounded) for it to exit.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _watchdog.Release(thawed: true);
            _watchdog.Dispose();
        }
    }

    /// <summary>Like <see cref="Dispose"/>, without blocking a thread while the watchdog exits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _watchdog.Release(thawed: true);
            await _watchdog.StopAsync();
            _watchdog.Dispose();
        }
    }
}
