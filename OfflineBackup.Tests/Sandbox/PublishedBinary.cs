namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// `dotnet publish -r linux-x64` with the project's own publish settings, once per test run for
/// every test that uses its result (the collection below): the published-binary tests and the
/// Debian package built from it. Only ReadyToRun is turned off, to keep the publish to seconds;
/// it changes how fast the code starts, not what it does. Its own artifacts directory: nothing
/// is shared with the build these tests run from.
/// </summary>
public sealed class PublishedBinary : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _work = new();
    private readonly Dictionary<string, Task<string>> _packages = new(StringComparer.Ordinal);

    public string Directory => _work.File("out");

    public string Binary => Path.Combine(Directory, "offline-backup");

    /// <summary>A scratch directory that lives as long as the publish (logs of its runs, say).</summary>
    public string Scratch => _work.File("scratch");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Scratch);
        using var publish = ChildProcess.Start("dotnet",
        [
            "publish", RepositoryFiles.Path("OfflineBackup.Cli"), "-c", "Release", "-r", "linux-x64",
            "-p:PublishReadyToRun=false", "--artifacts-path", _work.File("artifacts"), "-o", Directory,
            "--disable-build-servers", "--nologo",
        ]);
        var exitCode = await publish.WaitAsync(Limit);
        Assert.True(exitCode == 0, $"dotnet publish exited {exitCode}\n{publish.Output}");
    }

    /// <summary>
    /// packaging/build-deb over this publish, once per version (null: the version the script
    /// reads from Directory.Build.props); the path of the .deb.
    /// </summary>
    public Task<string> DebianPackageAsync(string? version = null)
    {
        lock (_packages)
        {
            var key = version ?? string.Empty;
            if (!_packages.TryGetValue(key, out var package))
            {
                package = BuildPackageAsync(version);
                _packages[key] = package;
            }

            return package;
        }
    }

    private async Task<string> BuildPackageAsync(string? version)
    {
        var output = _work.File("dist-" + (version ?? "default"));
        string[] versionArguments = version is null ? [] : ["--version", version];
        using var build = ChildProcess.Start(RepositoryFiles.Path("packaging/build-deb"),
            ["--published", Directory, "--output", output, .. versionArguments],
            new Dictionary<string, string?> { ["TMPDIR"] = _work.Path });
        var exitCode = await build.WaitAsync(Limit);
        Assert.True(exitCode == 0, $"packaging/build-deb exited {exitCode}\n{build.Output}");
        return Assert.Single(System.IO.Directory.GetFiles(output, "*.deb"));
    }

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The tests that share one <see cref="PublishedBinary"/>. They run alone, after the parallel
/// collections: twice out of two full runs, while the sandbox test overlapped the
/// MariaDbCollection, RunFailureTests found the shared replica's IO thread stopped (cause not
/// found; alone, it passed), and the package build and lintian are the suite's heaviest CPU users.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishedBinaryCollection : ICollectionFixture<PublishedBinary>
{
    public const string Name = "published binary";
}
