using OfflineBackup.MySql;

namespace OfflineBackup.Tests.Unit.Online;

/// <summary>The replica's online side, recording every call into a shared list of events.</summary>
internal sealed class FakeOnlineReplica(string dataDirectory, List<string> events) : IOnlineReplica
{
    public BackupException? BlockFailure { get; set; }

    public string Position { get; set; } = "gtid:0-1-42";

    public Task<ServerLayout> ReadLayoutAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ServerLayout(ServerFlavor.Parse("10.11.19-MariaDB"), dataDirectory, [new("datadir", dataDirectory)], [], []));

    public Task<IBackupLock> BlockCommitsAsync(TimeSpan maxBlock, CancellationToken cancellationToken)
    {
        events.Add("block");
        return BlockFailure is { } failure ? Task.FromException<IBackupLock>(failure) : Task.FromResult<IBackupLock>(new Lock(this, events));
    }

    private sealed class Lock(FakeOnlineReplica replica, List<string> events) : IBackupLock
    {
        public string Method => "BACKUP STAGE BLOCK_COMMIT";

        public bool ReleasedByWatchdog => false;

        public Task<RecordedPosition> ReadPositionAsync(CancellationToken cancellationToken)
        {
            events.Add("position");
            return Task.FromResult(new RecordedPosition(replica.Position, "10.0.0.5"));
        }

        public Task ReleaseAsync(CancellationToken cancellationToken)
        {
            events.Add("release");
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            events.Add("close");
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A freezer that freezes nothing but says what it was asked, in the shared list of events.</summary>
internal sealed class FakeFreezer(List<string> events) : IFilesystemFreezer
{
    public Exception? FreezeFailure { get; set; }

    public Action? WhenFrozen { get; set; }

    public List<FreezeJournal> Leftovers { get; } = [];

    public string? Refusal(string path, IReadOnlyList<string> toolPaths) => null;

    public Task<IPreparedFreeze> PrepareAsync(string path, IReadOnlyList<string> toolPaths, CancellationToken cancellationToken)
    {
        events.Add("prepare");
        return Task.FromResult<IPreparedFreeze>(new Prepared(this, events));
    }

    public Task<string?> ThawLeftoverAsync(FreezeJournal record, CancellationToken cancellationToken)
    {
        Leftovers.Add(record);
        events.Add("thaw-leftover");
        return Task.FromResult<string?>($"thawed {record.MountPoint}");
    }

    private sealed class Prepared(FakeFreezer freezer, List<string> events) : IPreparedFreeze
    {
        private bool _frozen;

        public string MountPoint => "/data";

        public FreezeJournal RecordUntil(DateTimeOffset deadline) => new("/data", 4242, 17, deadline);

        public Task<IFrozenFilesystem> FreezeAsync(TimeSpan maxFrozen, CancellationToken cancellationToken)
        {
            if (freezer.FreezeFailure is { } failure)
            {
                return Task.FromException<IFrozenFilesystem>(failure);
            }

            events.Add("freeze");
            _frozen = true;
            freezer.WhenFrozen?.Invoke();
            return Task.FromResult<IFrozenFilesystem>(new Frozen(events));
        }

        public ValueTask DisposeAsync()
        {
            if (!_frozen)
            {
                events.Add("watchdog-ended");
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Frozen(List<string> events) : IFrozenFilesystem
    {
        public string MountPoint => "/data";

        public (TimeSpan Frozen, string? Problem) Thaw()
        {
            events.Add("thaw");
            return (TimeSpan.FromMilliseconds(30), null);
        }

        public ValueTask DisposeAsync()
        {
            events.Add("watchdog-gone");
            return ValueTask.CompletedTask;
        }
    }
}
