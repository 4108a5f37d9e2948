using System.Reflection;
using System.Text;

namespace OfflineBackup.Tests.Sandbox;

/// <summary>The install artifact (README "Install"): one self-contained executable that starts, knows its version, and does the job.</summary>
[Collection(PublishedBinaryCollection.Name)]
public sealed class PublishedBinaryTests(PublishedBinary published)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task It_is_one_self_contained_file_that_prints_its_version_and_commit()
    {
        Assert.Equal(["nlog.config", "offline-backup"], System.IO.Directory.GetFileSystemEntries(published.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(ContainsBytes(published.Binary, "System.Private.CoreLib.dll"), "the runtime is not bundled: not self-contained");

        using (var version = ChildProcess.Start(published.Binary, ["--version"]))
        {
            Assert.Equal(ExitCodes.Success, await version.WaitAsync(Limit));
            Assert.Matches(@"^\d+\.\d+\.\d+\+([0-9a-f]{40}|unknown)$", version.Output);
            Assert.Equal(BuiltVersion, version.Output);
        }

        // Beyond --version: the real command path, to the config loader and its exit code.
        // Its log goes to the scratch directory, not to the default /var/log/offline-backup.
        using var check = ChildProcess.Start(published.Binary, ["check", "--config", "/nonexistent/offline-backup.yml"],
            new Dictionary<string, string?> { ["OFFLINE_BACKUP_LOG_FILE"] = Path.Combine(published.Scratch, "check.log") });
        Assert.Equal(ExitCodes.BadConfiguration, await check.WaitAsync(Limit));
        Assert.Contains("/nonexistent/offline-backup.yml", check.Output);
        Assert.Contains("/nonexistent/offline-backup.yml", File.ReadAllText(Path.Combine(published.Scratch, "check.log")));
    }

    [Fact]
    public async Task It_takes_a_real_snapshot_in_the_sandbox()
    {
        using var sandbox = ChildProcess.Start(
            Path.Combine(AppContext.BaseDirectory, "OfflineBackup.Sandbox"), ["--binary", published.Binary]);

        var exitCode = await sandbox.WaitAsync(Limit);

        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}\n{sandbox.Output}");
        Assert.Contains("$ offline-backup run --config", sandbox.Output);
        Assert.Matches(@"offline-backup run: snapshot snap-[0-9a-f]{17} \(completed\)", sandbox.Output);
        Assert.Contains("sandbox: OK", sandbox.Output);
    }

    /// <summary>The version and commit these tests were built with: the same checkout.</summary>
    private static string BuiltVersion =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    private static bool ContainsBytes(string file, string text) =>
        File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
