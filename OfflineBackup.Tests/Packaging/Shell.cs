using OfflineBackup.Tests.Sandbox;

namespace OfflineBackup.Tests.Packaging;

/// <summary>What a program printed (stdout and stderr, in order) and how it exited.</summary>
internal sealed record ShellResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>Debian's tools (dpkg, lintian, man, bash) run as a person would run them.</summary>
internal static class Shell
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static async Task<ShellResult> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var child = ChildProcess.Start(program, arguments, environment);
        var exitCode = await child.WaitAsync(Limit);
        return new ShellResult(exitCode, child.Output);
    }

    /// <summary>Runs and asserts exit 0; the output.</summary>
    public static async Task<string> OkAsync(string program, params string[] arguments)
    {
        var result = await RunAsync(program, arguments);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {result}");
        return result.Output;
    }
}
