using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>What one invocation of the tool printed and returned.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the real offline-backup binary as a child process, as cron would, and passes its output
/// through line by line while keeping a copy to check. The AWS SDK gets dummy credentials and no
/// instance metadata: the only EC2 it can reach is the double named in the config.
/// </summary>
internal sealed class ToolProcess(string binary, string configPath, TextWriter output, TextWriter error)
{
    // What a user's shell may hold that would point the tool somewhere else than the sandbox.
    private static readonly string[] Cleared =
    [
        "OFFLINE_BACKUP_CONFIG", "OFFLINE_BACKUP_LOG_FILE", "OFFLINE_BACKUP_MYSQL_PASSWORD",
        "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
    ];

    /// <summary>How long an interrupted tool may take to start MySQL again and exit.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(60);

    public string Binary => binary;

    /// <summary>The variables a person sets to run the tool against the sandbox by hand.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment { get; } =
    [
        new("AWS_ACCESS_KEY_ID", "SANDBOXACCESSKEY"),
        new("AWS_SECRET_ACCESS_KEY", "sandbox-not-a-secret"),
        new("AWS_EC2_METADATA_DISABLED", "true"),
    ];

    public async Task<ToolResult> RunAsync(string command, CancellationToken cancellationToken, params string[] options)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await output.WriteLineAsync();
        await output.WriteLineAsync($"$ offline-backup {string.Join(' ', [command, .. options])} --config {configPath}");
        await output.FlushAsync(cancellationToken);
        // In a session of its own (setsid(1) execs it under the same PID): a Ctrl-C at the
        // terminal reaches the sandbox only, which passes exactly one SIGINT on.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[binary, command, .. options, "--config", configPath])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in Cleared)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        process.StandardInput.Close();

        // Not cancelled with the run: what an interrupted tool says last is worth seeing. Both end
        // when the tool exits (the servers it starts are detached from its pipes).
        var stdout = PassThroughAsync(process.StandardOutput, output);
        var stderr = PassThroughAsync(process.StandardError, error);
        var interrupted = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
            await WindDownAsync(process);
        }

        var result = new ToolResult(process.ExitCode, await stdout, await stderr);
        await output.WriteLineAsync($"[exit {result.ExitCode}: {Errors.ExitCodes.Describe(result.ExitCode)}]");
        if (interrupted)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Interrupted: the tool gets SIGINT and is waited for, so that it can start MySQL again and
    /// say so, as on a real host.
    /// </summary>
    private static async Task WindDownAsync(Process process)
    {
        using var limit = new CancellationTokenSource(InterruptGrace);
        try
        {
            if (!process.HasExited)
            {
                await MariaDb.ShellCommand.RunAsync("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)], limit.Token);
            }

            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task<string> PassThroughAsync(StreamReader from, TextWriter to)
    {
        var copy = new StringBuilder();
        while (await from.ReadLineAsync(CancellationToken.None) is { } line)
        {
            copy.AppendLine(line);
            await to.WriteLineAsync(line);
            await to.FlushAsync(CancellationToken.None);
        }

        return copy.ToString();
    }
}
