namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>
/// The base of a test class on a shared real MariaDB pair (any of the pair fixtures): before
/// each test the pair is reset to healthy, whatever the test before it (in any class of the
/// collection) left behind. Each derived class still names its collection itself: xunit reads
/// the collection from the test class, not from its base.
/// </summary>
public abstract class HealthyPairTests(MariaDbReplicationPair pair) : IAsyncLifetime
{
    protected MariaDbReplicationPair Pair { get; } = pair;

    public Task InitializeAsync() => Pair.ResetToHealthyAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;
}
