namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>A pair of its own for the bare host (BareHostAwsTests: one waits out the default EC2 timeouts, about 50 s): see <see cref="MariaDbCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbBareHostCollection : ICollectionFixture<MariaDbPairFixture>
{
    public const string Name = "MariaDB pair: bare host";
}
