namespace OfflineBackup.Tests.Integration.Run;

/// <summary>A pair of its own for the run's failures and signals (RunSignalTests, RunFailureTests): see <see cref="MariaDbCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbRunFaultsCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB pair: run failures and signals";
}
