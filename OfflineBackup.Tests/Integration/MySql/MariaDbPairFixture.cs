namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>
/// One real MariaDB primary+replica shared by every test class in one collection: its
/// tests run one at a time, as they stop, break and signal the pair. Tests that break
/// replication leave the repair to the next test: each class calls
/// <see cref="MariaDbReplicationPair.ResetToHealthyAsync"/> before every test.
/// </summary>
public sealed class MariaDbPairFixture() : PairFixture(new MariaDbPairOptions());

// Four pairs, four collections that run side by side: most of these tests wait (for a timeout
// they provoke, a server stopping, a child process), so one pair for all made them one long
// queue. A pair starts in about two seconds. The three others, each defined beside the tests it
// holds (MariaDbRunFaultsCollection, MariaDbLostAnswerCollection, MariaDbBareHostCollection),
// hold the longest waiters; everything else that needs a pair belongs in MariaDbCollection.
[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB primary+replica";
}
