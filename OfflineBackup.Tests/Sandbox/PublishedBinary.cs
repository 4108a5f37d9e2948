namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// The fixture of every test that uses the published binary (<see cref="PublishOnce"/>): the
/// published-binary tests, lintian and the dpkg lifecycle. Each class gets its own fixture and
/// scratch directory, all of them the one publish, so the classes run side by side.
/// </summary>
public sealed class PublishedBinary : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new();
    private PublishOnce? _publish;

    public string Directory => Publish.Directory;

    public string Binary => Publish.Binary;

    /// <summary>A scratch directory that lives as long as the fixture (logs of its runs, say).</summary>
    public string Scratch => _scratch.Path;

    private PublishOnce Publish => _publish ?? throw new InvalidOperationException("the publish has not run");

    public async Task InitializeAsync() => _publish = await PublishOnce.GetAsync();

    /// <summary>
    /// packaging/build-deb over the publish, once per version (null: the version the script
    /// reads from Directory.Build.props); the path of the .deb.
    /// </summary>
    public Task<string> DebianPackageAsync(string? version = null) => Publish.DebianPackageAsync(version);

    public Task DisposeAsync()
    {
        _scratch.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The published-binary tests (PublishedBinaryTests). Runs beside the other collections.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedBinaryCollection : ICollectionFixture<PublishedBinary>
{
    public const string Name = "published binary";
}
