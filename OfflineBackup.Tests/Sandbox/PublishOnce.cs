using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// `dotnet publish -r linux-x64` with the project's own publish settings, once per test run
/// whichever test needs it first, and the Debian packages built over it. Only ReadyToRun is
/// turned off, to keep the publish to seconds; it changes how fast the code starts, not what it
/// does. Its own artifacts directory: nothing is shared with the build these tests run from.
/// The directory goes when the test process exits: the tests that share it run in parallel
/// collections, and no one of them knows it is the last. It is a sandbox directory, marked with
/// this process, because the test host can end before its exit handler has deleted it all: the
/// next test run that starts a sandbox reaps it then.
/// </summary>
internal sealed class PublishOnce
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<PublishOnce>> Shared = new(StartAsync);

    // Not disposed by anyone: its exit guard destroys it when the test process ends.
    private readonly OwnedSandbox _sandbox = OwnedSandbox.Create();
    private readonly Dictionary<string, Task<string>> _packages = new(StringComparer.Ordinal);

    public string Directory => Path.Combine(_sandbox.Path, "out");

    public string Binary => Path.Combine(Directory, "offline-backup");

    /// <summary>The publish, started by the first caller; a failed publish fails every caller.</summary>
    public static Task<PublishOnce> GetAsync() => Shared.Value;

    public Task<string> DebianPackageAsync(string? version)
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

    private static async Task<PublishOnce> StartAsync()
    {
        var publish = new PublishOnce();
        using var child = ChildProcess.Start("dotnet",
        [
            "publish", RepositoryFiles.Path("OfflineBackup.Cli"), "-c", "Release", "-r", "linux-x64",
            "-p:PublishReadyToRun=false", "--artifacts-path", Path.Combine(publish._sandbox.Path, "artifacts"), "-o", publish.Directory,
            "--disable-build-servers", "--nologo",
        ]);
        var exitCode = await child.WaitAsync(Limit);
        Assert.True(exitCode == 0, $"dotnet publish exited {exitCode}\n{child.Output}");

        // The intermediate files are hundreds; the exit handler has only the output to delete.
        System.IO.Directory.Delete(Path.Combine(publish._sandbox.Path, "artifacts"), recursive: true);
        return publish;
    }

    private async Task<string> BuildPackageAsync(string? version)
    {
        var output = Path.Combine(_sandbox.Path, "dist-" + (version ?? "default"));
        string[] versionArguments = version is null ? [] : ["--version", version];
        using var build = ChildProcess.Start(RepositoryFiles.Path("packaging/build-deb"),
            ["--published", Directory, "--output", output, .. versionArguments],
            new Dictionary<string, string?> { ["TMPDIR"] = _sandbox.Path });
        var exitCode = await build.WaitAsync(Limit);
        Assert.True(exitCode == 0, $"packaging/build-deb exited {exitCode}\n{build.Output}");
        return Assert.Single(System.IO.Directory.GetFiles(output, "*.deb"));
    }
}
