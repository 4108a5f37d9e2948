using OfflineBackup.Freezing;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// <see cref="IFilesystemFreezer"/> on this host: the freeze check, fsfreeze with its watchdog
/// process and the recovery thaw of <see cref="Freezing"/>, the journal's record mapped to theirs.
/// </summary>
public sealed class HostFreezer(TimeProvider clock) : IFilesystemFreezer
{
    public string? Refusal(string path, IReadOnlyList<string> toolPaths) => FreezeCheck.OnHost(path, toolPaths).Refusal;

    public async Task<IPreparedFreeze> PrepareAsync(string path, IReadOnlyList<string> toolPaths, CancellationToken cancellationToken) =>
        new Prepared(await PreparedFreeze.PrepareAsync(path, toolPaths, clock, cancellationToken));

    public async Task<string?> ThawLeftoverAsync(FreezeJournal record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var thaw = await FrozenFilesystem.ThawLeftoverAsync(
            new FreezeRecord(record.MountPoint, record.WatchdogPid, record.WatchdogStartTicks, record.Deadline), clock, cancellationToken);
        return thaw.Describe();
    }

    private sealed class Prepared(PreparedFreeze prepared) : IPreparedFreeze
    {
        public string MountPoint => prepared.MountPoint;

        public FreezeJournal RecordUntil(DateTimeOffset deadline)
        {
            var record = prepared.RecordUntil(deadline);
            return new FreezeJournal(record.MountPoint, record.WatchdogPid, record.WatchdogStartTicks, record.Deadline);
        }

        public async Task<IFrozenFilesystem> FreezeAsync(TimeSpan maxFrozen, CancellationToken cancellationToken) =>
            new Frozen(await prepared.FreezeAsync(maxFrozen, cancellationToken));

        public ValueTask DisposeAsync() => prepared.DisposeAsync();
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
