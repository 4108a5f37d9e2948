namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>
/// One real MariaDB primary+replica shared by every test class in <see cref="MariaDbCollection"/>.
/// Tests that break replication leave the repair to the next test: each class calls
/// <see cref="MariaDbReplicationPair.ResetToHealthyAsync"/> before every test.
/// </summary>
public sealed class MariaDbPairFixture : IAsyncLifetime
{
    private MariaDbReplicationPair? _pair;

    public MariaDbReplicationPair Pair =>
        _pair ?? throw new InvalidOperationException("the MariaDB pair is not started");

    public async Task InitializeAsync() =>
        _pair = await MariaDbReplicationPair.StartAsync(new MariaDbPairOptions(), CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_pair is not null)
        {
            await _pair.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB primary+replica";
}
