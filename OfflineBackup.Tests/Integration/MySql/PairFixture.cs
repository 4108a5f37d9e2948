namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>
/// The life of a real MariaDB primary+replica shared by the test classes of one collection:
/// started before the first test, stopped after the last. What a fixture adds around the pair (a
/// user of its own, an EC2 double over the replica's volume) it starts in
/// <see cref="StartedAsync"/> and stops in <see cref="StoppingAsync"/>, before the pair stops.
/// </summary>
public abstract class PairFixture(MariaDbPairOptions options) : IAsyncLifetime
{
    private MariaDbReplicationPair? _pair;

    /// <summary>A pair whose replica keeps its data on a loop-mounted volume, named as the tool's config names it.</summary>
    protected static MariaDbPairOptions OnVolume => new()
    {
        ReplicaVolume = new DataVolumeOptions { VolumeId = TestSettings.VolumeId, Mode = DiskModeRequest.Loop },
    };

    public MariaDbReplicationPair Pair =>
        _pair ?? throw new InvalidOperationException("the MariaDB pair is not started");

    public async Task InitializeAsync()
    {
        _pair = await MariaDbReplicationPair.StartAsync(options, CancellationToken.None);
        await StartedAsync(_pair);
    }

    public async Task DisposeAsync()
    {
        await StoppingAsync();
        if (_pair is not null)
        {
            await _pair.DisposeAsync();
        }
    }

    protected virtual Task StartedAsync(MariaDbReplicationPair pair) => Task.CompletedTask;

    protected virtual ValueTask StoppingAsync() => ValueTask.CompletedTask;
}
