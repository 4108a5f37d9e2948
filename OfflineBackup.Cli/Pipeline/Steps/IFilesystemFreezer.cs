namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// The freeze around an online CreateSnapshot (consistency.freeze_filesystem): fsfreeze of the
/// filesystem holding the data directory, with a watchdog process that thaws it at a deadline
/// even if the tool is killed. The real one is <see cref="HostFreezer"/>.
/// </summary>
public interface IFilesystemFreezer
{
    /// <summary>Why the filesystem holding <paramref name="path"/> must not be frozen (/, or one holding <paramref name="toolPaths"/>); null when it may.</summary>
    string? Refusal(string path, IReadOnlyList<string> toolPaths);

    /// <summary>
    /// Everything slow, before commits are blocked: the check (refused: exit 2) and the watchdog
    /// process started, not yet counting (exit 8 when it cannot start). Nothing is frozen.
    /// </summary>
    Task<IPreparedFreeze> PrepareAsync(string path, IReadOnlyList<string> toolPaths, CancellationToken cancellationToken);

    /// <summary>The next run's undoing of a freeze a dead run left: ends its watchdog, thaws. One line for the summary, null when nothing was left.</summary>
    Task<string?> ThawLeftoverAsync(FreezeJournal record, CancellationToken cancellationToken);
}

/// <summary>
/// A freeze ready to happen, its watchdog running: journal <see cref="RecordUntil"/>, then
/// <see cref="FreezeAsync"/> under the lock (a pipe write and FIFREEZE). Disposing one never
/// frozen ends its watchdog; once frozen, the watchdog is the <see cref="IFrozenFilesystem"/>'s.
/// </summary>
public interface IPreparedFreeze : IAsyncDisposable
{
    string MountPoint { get; }

    /// <summary>What the journal keeps, <paramref name="deadline"/> being the latest thaw the caller can promise.</summary>
    FreezeJournal RecordUntil(DateTimeOffset deadline);

    /// <summary>Freezes for at most <paramref name="maxFrozen"/>, counted from the freeze. A failure (exit 8) leaves nothing frozen and the watchdog ended.</summary>
    Task<IFrozenFilesystem> FreezeAsync(TimeSpan maxFrozen, CancellationToken cancellationToken);
}

/// <summary>
/// A frozen filesystem; <see cref="Thaw"/> is idempotent and never throws. Dispose after the
/// thaw (and after the server lock is released): it waits for the watchdog process to exit.
/// </summary>
public interface IFrozenFilesystem : IAsyncDisposable
{
    string MountPoint { get; }

    /// <summary>How long it was frozen, and the problem if the thaw failed (the watchdog then thaws at once).</summary>
    (TimeSpan Frozen, string? Problem) Thaw();
}

/// <summary>What the journal keeps of a freeze: enough for the next run to thaw it and end the watchdog (PID and start time together).</summary>
public sealed record FreezeJournal(string MountPoint, int WatchdogPid, long WatchdogStartTicks, DateTimeOffset Deadline);
