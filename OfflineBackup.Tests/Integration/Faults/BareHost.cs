using System.Diagnostics;

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

    public static Task<(CliResult Result, TimeSpan Took)> RunAsync(
        ToolWorld world, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunAsync(world, world.Files.Config, environment, args);

    /// <summary>As <see cref="RunAsync(ToolWorld, IReadOnlyDictionary{string, string}?, string[])"/> with the config file <paramref name="config"/>.</summary>
    public static async Task<(CliResult Result, TimeSpan Took)> RunAsync(
        ToolWorld world, string config, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var child = Start(world, config, environment, ownGroup: false, args);
        var code = await child.WaitAsync(Patience);
        return (new CliResult(code, child.StandardOutput, child.StandardError), clock.Elapsed);
    }

    /// <summary>
    /// The built binary as on a bare host: nothing of this machine's environment (no AWS
    /// variables, an empty HOME, no profile), instance metadata pointed at a closed loopback
    /// port, so the SDK's own credential and region lookups fail as on an instance without a
    /// role. <paramref name="environment"/> adds what the test gives on purpose. With
    /// <paramref name="ownGroup"/> the tool leads a process group of its own (setsid), so a test
    /// may signal that whole group as a terminal or systemd would.
    /// </summary>
    public static ChildProcess Start(ToolWorld world, IReadOnlyDictionary<string, string>? environment, bool ownGroup, params string[] args) =>
        Start(world, world.Files.Config, environment, ownGroup, args);

    private static ChildProcess Start(ToolWorld world, string config, IReadOnlyDictionary<string, string>? environment, bool ownGroup, string[] args)
    {
        var home = world.Files.Path("empty-home");
        Directory.CreateDirectory(home);
        IEnumerable<KeyValuePair<string, string?>> variables =
        [
            new("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            new("HOME", home),
            new("AWS_EC2_METADATA_SERVICE_ENDPOINT", $"http://127.0.0.1:{FreePort.Pick()}"),
            new("OFFLINE_BACKUP_LOG_FILE", world.Files.Log),
            .. (environment ?? new Dictionary<string, string>()).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)),
        ];
        IReadOnlyList<string> command = [.. ownGroup ? ["/usr/bin/setsid"] : Array.Empty<string>(), world.Binary, .. args, "--config", config];
        return ChildProcess.Start(command[0], command.Skip(1), variables, inheritEnvironment: false);
    }

    /// <summary>Sends <paramref name="signal"/> to the whole process group a child started with ownGroup leads.</summary>
    public static void SignalGroup(ChildProcess child, int signal)
    {
        using var kill = Process.Start("kill", ["-" + signal.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", "-" + child.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
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
