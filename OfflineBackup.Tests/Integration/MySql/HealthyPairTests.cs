namespace OfflineBackup.Tests.Integration.MySql;

/// <summary>
/// The base of a test class on the shared real MariaDB pair: before each test the pair is reset
/// to healthy, whatever the test before it (in any class of the collection) left behind.
/// Each derived class still names <see cref="MariaDbCollection"/> itself: xunit reads the
/// collection from the test class, not from its base.
/// </summary>
public abstract class HealthyPairTests(MariaDbPairFixture fixture) : IAsyncLifetime
{
    protected MariaDbReplicationPair Pair { get; } = fixture.Pair;

    public Task InitializeAsync() => Pair.ResetToHealthyAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;
}
