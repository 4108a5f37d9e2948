namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// `dotnet publish -r linux-x64` with the project's own publish settings, once for the tests that
/// use its result. Only ReadyToRun is turned off, to keep the publish to seconds; it changes how
/// fast the code starts, not what it does. Its own artifacts directory: nothing is shared with
/// the build these tests run from.
/// </summary>
public sealed class PublishedBinary : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _work = new();

    public string Directory => _work.File("out");

    public string Binary => Path.Combine(Directory, "offline-backup");

    public async Task InitializeAsync()
    {
        using var publish = ChildProcess.Start("dotnet",
        [
            "publish", RepositoryFiles.Path("OfflineBackup.Cli"), "-c", "Release", "-r", "linux-x64",
            "-p:PublishReadyToRun=false", "--artifacts-path", _work.File("artifacts"), "-o", Directory,
            "--disable-build-servers", "--nologo",
        ]);
        var exitCode = await publish.WaitAsync(Limit);
        Assert.True(exitCode == 0, $"dotnet publish exited {exitCode}\n{publish.Output}");
    }

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }
}
