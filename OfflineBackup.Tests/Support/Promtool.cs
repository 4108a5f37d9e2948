namespace OfflineBackup.Tests.Support;

/// <summary>Debian's promtool (package prometheus), the judge of metrics files and alert rules.</summary>
internal static class Promtool
{
    public static Task<CommandResult> CheckMetricsAsync(string file) =>
        ChildProcess.RunShellAsync($"promtool check metrics < '{file}'", CancellationToken.None);

    public static Task<CommandResult> CheckRulesAsync(string file) =>
        ChildProcess.RunAsync("promtool", ["check", "rules", file], CancellationToken.None);

    public static Task<CommandResult> TestRulesAsync(string file) =>
        ChildProcess.RunAsync("promtool", ["test", "rules", file], CancellationToken.None);

    /// <summary>Asserts promtool accepts the file, with its complaint as the message otherwise.</summary>
    public static async Task AssertValidMetricsAsync(string file)
    {
        Assert.True(File.Exists(file), $"{file} was not written");
        var result = await CheckMetricsAsync(file);
        Assert.True(result.Succeeded, $"promtool check metrics: exit {result.ExitCode}\n{result.StandardOutput}{result.StandardError}\n--- file\n{File.ReadAllText(file)}");
    }
}
