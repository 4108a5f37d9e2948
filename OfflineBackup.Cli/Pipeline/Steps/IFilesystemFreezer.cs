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
    /// Freezes for at most <paramref name="maxFrozen"/>. <paramref name="recorded"/> runs after
    /// the watchdog started and before the freeze (the journal write); if it throws nothing is frozen.
    /// </summary>
    Task<IFrozenFilesystem> FreezeAsync(
        string path, IReadOnlyList<string> toolPaths, TimeSpan maxFrozen, Action<FreezeJournal> recorded, CancellationToken cancellationToken);

    /// <summary>The next run's undoing of a freeze a dead run left: ends its watchdog, thaws. One line for the summary, null when nothing was left.</summary>
    Task<string?> ThawLeftoverAsync(FreezeJournal record, CancellationToken cancellationToken);
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
