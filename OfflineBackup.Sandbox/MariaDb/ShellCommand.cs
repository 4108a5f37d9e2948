using System.Diagnostics;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>The outcome of one external command: exit code and what it printed.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs the MariaDB tools and the /bin/sh stop/start commands. Output is drained while the
/// command runs so a chatty tool cannot fill its pipe and hang.
/// </summary>
public static class ShellCommand
{
    public static Task<CommandResult> RunShellAsync(string command, CancellationToken cancellationToken) =>
        RunAsync("/bin/sh", ["-c", command], cancellationToken);

    public static async Task<CommandResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A cancelled caller must not leave the command running behind it.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
