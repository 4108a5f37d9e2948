using System.Diagnostics;
using OfflineBackup.Tests.Sandbox;
using Xunit.Abstractions;

namespace OfflineBackup.Tests.Packaging;

/// <summary>
/// Lintian on the package packaging/build-deb makes over the shared publish (the one
/// <see cref="DebianPackageTests"/> installs): a class of its own, so the two run side by side.
/// </summary>
public sealed class LintianTests(PublishedBinary published, ITestOutputHelper log) : IClassFixture<PublishedBinary>
{
    [Fact]
    public async Task Lintian_reports_no_error_and_no_unexplained_warning()
    {
        var timer = Stopwatch.StartNew();
        var deb = await published.DebianPackageAsync();
        log.WriteLine($"build-deb (over the shared publish): {timer.Elapsed.TotalSeconds:F1} s, {new FileInfo(deb).Length / 1024.0 / 1024.0:F1} MiB: {Path.GetFileName(deb)}");
        Assert.Equal($"offline-backup_{DebianPackageTests.Version}_amd64.deb", Path.GetFileName(deb));

        var result = await Shell.RunAsync("lintian", ["--fail-on", "error,warning", "--display-info", deb],
            new Dictionary<string, string?> { ["TMPDIR"] = published.Scratch });

        log.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(result.Output.Split('\n'), line => line.StartsWith("E: ", StringComparison.Ordinal) || line.StartsWith("W: ", StringComparison.Ordinal));
    }
}
