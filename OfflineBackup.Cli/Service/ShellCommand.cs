using System.Diagnostics;
using System.Text;

namespace OfflineBackup.Service;

/// <summary>What a service command did: its exit status (null when it was killed for taking too long) and its output.</summary>
public sealed record CommandOutcome(string Command, int? ExitStatus, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitStatus == 0;

    public bool TimedOut => ExitStatus is null;

    public string Describe() => TimedOut
        ? $"`{Command}` did not finish within {Elapsed.TotalSeconds:0}s and was killed"
        : $"`{Command}` exited {ExitStatus}" + (Output.Length > 0 ? $": {Output}" : string.Empty);
}

/// <summary>
/// Runs an operator-configured command (systemctl stop mysql, ...) through /bin/sh with a
/// timeout. On timeout or cancellation the whole process tree is killed, so a hung systemctl
/// cannot outlive the run. Output is kept short: it goes into messages and the log.
/// </summary>
public sealed class ShellCommand
{
    private const int MaxOutput = 2000;

    public static async Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo("/bin/sh", ["-c", command])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            },
        };
        var output = new StringBuilder();
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await exited.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await exited.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandOutcome(command, null, Text(output), started.Elapsed);
        }

        // A start command that leaves a daemon behind may leave our pipes open in it; give the
        // output a moment to drain, but never wait on a daemon's lifetime.
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            process.CancelOutputRead();
            process.CancelErrorRead();
        }

        return new CommandOutcome(command, process.ExitCode, Text(output), started.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < MaxOutput)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            var text = output.ToString().Trim();
            return text.Length > MaxOutput ? text[..MaxOutput] + "…" : text;
        }
    }
}
