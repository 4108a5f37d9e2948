using OfflineBackup.Freezing;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// <see cref="IFilesystemFreezer"/> on this host: the freeze check, fsfreeze with its watchdog
/// process and the recovery thaw of <see cref="Freezing"/>, the journal's record mapped to theirs.
/// </summary>
public sealed class HostFreezer(TimeProvider clock) : IFilesystemFreezer
{
    public string? Refusal(string path, IReadOnlyList<string> toolPaths) => FreezeCheck.OnHost(path, toolPaths).Refusal;

    public async Task<IFrozenFilesystem> FreezeAsync(
        string path, IReadOnlyList<string> toolPaths, TimeSpan maxFrozen, Action<FreezeJournal> recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var frozen = await FrozenFilesystem.FreezeAsync(
            path, toolPaths, maxFrozen, clock,
            record => recorded(new FreezeJournal(record.MountPoint, record.WatchdogPid, record.WatchdogStartTicks, record.Deadline)),
            cancellationToken);
        return new Frozen(frozen);
    }

    public async Task<string?> ThawLeftoverAsync(FreezeJournal record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var thaw = await FrozenFilesystem.ThawLeftoverAsync(
            new FreezeRecord(record.MountPoint, record.WatchdogPid, record.WatchdogStartTicks, record.Deadline), clock, cancellationToken);
        return thaw.Describe();
    }

    private sealed class Frozen(FrozenFilesystem filesystem) : IFrozenFilesystem
    {
        public string MountPoint => filesystem.MountPoint;

        public (TimeSpan Frozen, string? Problem) Thaw()
        {
            var outcome = filesystem.Thaw();
            return (outcome.Frozen, outcome.Problem);
        }

        public ValueTask DisposeAsync() => filesystem.DisposeAsync();
    }
}
