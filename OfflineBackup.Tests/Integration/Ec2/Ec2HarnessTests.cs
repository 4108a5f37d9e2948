namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>A test class whose every test gets a fresh <see cref="Ec2Harness"/>: its own double, its own client.</summary>
public abstract class Ec2HarnessTests : IAsyncLifetime
{
    protected Ec2Harness Harness { get; } = new();

    public Task InitializeAsync() => Harness.InitializeAsync();

    public Task DisposeAsync() => Harness.DisposeAsync();
}
