namespace OfflineBackup.Freezing;

/// <summary>
/// What the journal keeps of a freeze, written before the filesystem is frozen: enough for the
/// next run to thaw it and to end the watchdog (only that process: PID and start time together).
/// </summary>
public sealed record FreezeRecord(string MountPoint, int WatchdogPid, long WatchdogStartTicks, DateTimeOffset Deadline);

/// <summary>
/// The end of a freeze. <see cref="AlreadyThawed"/>: the filesystem was no longer frozen when
/// the tool thawed it (the watchdog's deadline passed, or someone ran fsfreeze -u), so it was
/// not frozen for all of <see cref="Frozen"/>. <see cref="Problem"/>: the thaw failed and the
/// watchdog was told to thaw at once; a person should look.
/// </summary>
public sealed record ThawOutcome(string MountPoint, TimeSpan Frozen, bool AlreadyThawed, string? Problem);

/// <summary>What the recovery of a dead run's freeze did, for its summary.</summary>
public sealed record LeftoverThaw(string MountPoint, bool WasFrozen, bool WatchdogEnded, string? Problem)
{
    /// <summary>One line for the recovery's summary; null when there was nothing to undo.</summary>
    public string? Describe() => (WasFrozen, WatchdogEnded, Problem) switch
    {
        (_, _, { } problem) => problem,
        (true, true, _) => $"thawed {MountPoint}, left frozen by the dead run, and ended its watchdog",
        (true, false, _) => $"thawed {MountPoint}, left frozen by the dead run",
        (false, true, _) => $"ended the dead run's freeze watchdog ({MountPoint} was not frozen)",
        _ => null,
    };
}
