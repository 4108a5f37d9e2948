namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>A pair of its own for EC2 answers lost or late and a journal that breaks (LostAnswerRunTests, JournalDiskTests): see <see cref="MariaDbCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbLostAnswerCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB pair: lost answers";
}
