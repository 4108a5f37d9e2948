using System.Reflection;
using System.Text;
using OfflineBackup.Commands;
using OfflineBackup.Tests.Support;

namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// The install artifact (README "Install"): `dotnet publish -r linux-x64` with the project's own
/// publish settings gives one self-contained executable that starts and knows its version. Only
/// ReadyToRun is turned off here, to keep the publish to seconds; it changes how fast the code
/// starts, not what it does.
/// </summary>
public sealed class PublishedBinaryTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_published_binary_is_one_self_contained_file_that_prints_its_version_and_commit()
    {
        using var work = new TempDirectory();
        var output = work.File("out");

        // Its own artifacts directory: nothing shared with the build these tests run from.
        using (var publish = ChildProcess.Start("dotnet",
            [
                "publish", RepositoryFiles.Path("OfflineBackup.Cli"), "-c", "Release", "-r", "linux-x64",
                "-p:PublishReadyToRun=false", "--artifacts-path", work.File("artifacts"), "-o", output,
                "--disable-build-servers", "--nologo",
            ]))
        {
            var published = await publish.WaitAsync(Limit);
            Assert.True(published == 0, $"dotnet publish exited {published}\n{publish.Output}");
        }

        Assert.Equal(["nlog.config", "offline-backup"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var binary = Path.Combine(output, "offline-backup");
        Assert.True(ContainsBytes(binary, "System.Private.CoreLib.dll"), "the runtime is not bundled: not self-contained");

        using (var version = ChildProcess.Start(binary, ["--version"]))
        {
            Assert.Equal(ExitCodes.Success, await version.WaitAsync(Limit));
            Assert.Matches(@"^\d+\.\d+\.\d+\+([0-9a-f]{40}|unknown)$", version.Output);
            Assert.Equal(BuiltVersion, version.Output);
        }

        // Beyond --version: the real command path, to the config loader and its exit code.
        using var check = ChildProcess.Start(binary, ["check", "--config", "/nonexistent/offline-backup.yml"]);
        Assert.Equal(ExitCodes.BadConfiguration, await check.WaitAsync(Limit));
        Assert.Contains("/nonexistent/offline-backup.yml", check.Output);
    }

    /// <summary>The version and commit these tests were built with: the same checkout.</summary>
    private static string BuiltVersion =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    private static bool ContainsBytes(string file, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var haystack = File.ReadAllBytes(file);
        return haystack.AsSpan().IndexOf(needle) >= 0;
    }
}
