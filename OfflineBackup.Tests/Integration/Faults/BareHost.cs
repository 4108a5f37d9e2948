using System.Diagnostics;
using OfflineBackup.Tests.Integration.Run;
using OfflineBackup.Tests.Support;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>The built binary on a bare host (see <see cref="CliProcess.StartBare"/>), pointed at a test's world.</summary>
internal static class BareHost
{
    /// <summary>Long enough for the slowest bounded wait under load; the bound itself is asserted by each test.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Keys EC2 does not check; what an instance role would hand out.</summary>
    public static readonly IReadOnlyDictionary<string, string> DummyCredentials = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "not-a-real-secret",
    };

    public static async Task<(CliResult Result, TimeSpan Took)> RunAsync(
        RunWorld world, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var home = world.Cli.Directory.File("empty-home");
        Directory.CreateDirectory(home);
        var clock = Stopwatch.StartNew();
        using var child = CliProcess.StartBare(world.Cli.LogFile, home, environment, ownGroup: false, [.. args, "--config", world.Cli.ConfigPath]);
        var code = await child.WaitAsync(Patience);
        return (new CliResult(code, child.Output, child.Error), clock.Elapsed);
    }

    /// <summary>The guard names check prints, in order: every one it evaluated.</summary>
    public static readonly string[] GuardLines =
        ["lock", "journal", "journal-write", "replica", "privileges", "pending", "age", "aws-permissions"];

    public static void AssertEveryGuardLine(CliResult check)
    {
        var lines = check.Output.Split('\n');
        foreach (var guard in GuardLines)
        {
            Assert.True(lines.Any(l => l.StartsWith(guard + " ", StringComparison.Ordinal)), $"no line for guard {guard}\n{check}");
        }
    }
}
