namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>
/// One real MariaDB primary+replica shared by every test class in one collection (below): its
/// tests run one at a time, as they stop, break and signal the pair. Tests that break
/// replication leave the repair to the next test: each class calls
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

// Four pairs, four collections that run side by side: most of these tests wait (for a timeout
// they provoke, a server stopping, a child process), so one pair for all made them one long
// queue. A pair starts in about two seconds. The three named ones hold the longest waiters;
// everything else that needs a pair belongs in MariaDbCollection.
[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB primary+replica";
}

/// <summary>The run's failures and signals (RunSignalTests, RunFailureTests).</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbRunFaultsCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB pair: run failures and signals";
}

/// <summary>EC2 answers lost or late, a journal that breaks (LostAnswerRunTests, JournalDiskTests).</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbLostAnswerCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB pair: lost answers";
}

/// <summary>The bare host (BareHostAwsTests: one waits out the default EC2 timeouts, about 50 s).</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbBareHostCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB pair: bare host";
}
