using System.Diagnostics;
using System.Text;

namespace OfflineBackup.Service;

/// <summary>What a service command did: its exit status (null when it was killed for taking too long) and its output.</summary>
public sealed record CommandOutcome(string Command, int? ExitStatus, string Output, TimeSpan Elapsed)
{
    /// <summary>The timeout it was killed at: what the message names (the config's value), not the elapsed time, which a busy machine stretches past it.</summary>
    public TimeSpan? Limit { get; init; }

    public bool Succeeded => ExitStatus == 0;

    public bool TimedOut => ExitStatus is null;

    public string Describe() => TimedOut
        ? $"`{Command}` did not finish within {(Limit ?? Elapsed).TotalSeconds:0}s and was killed"
        : $"`{Command}` exited {ExitStatus}" + (Output.Length > 0 ? $": {Output}" : string.Empty);
}

/// <summary>
/// Runs an operator-configured command (systemctl stop mysql, ...) through /bin/sh with a
/// timeout, in a session and process group of its own (setsid): a signal sent to the tool's
/// group (Ctrl-C, `kill -TERM -PGID`) reaches the tool, which decides, not the command; and the
/// group can be ended as one, now or by the next run after a SIGKILL (its id goes to the
/// journal). On timeout or cancellation the whole group is killed, so a hung systemctl cannot
/// outlive the run. The MySQL password is not passed on: the start command's mysqld would
/// inherit it. Output is kept short: it goes into messages and the log.
/// </summary>
public sealed class ShellCommand
{
    private const int MaxOutput = 2000;

    private const string SetSid = "/usr/bin/setsid";

    public static async Task<CommandOutcome> RunAsync(
        string command, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken, Action<int>? groupStarted = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var started = clock.GetTimestamp();
        using var process = new Process
        {
            // Not a group leader (a child of .NET), so setsid(1) execs /bin/sh in place: the
            // shell's PID is its session and process group id.
            StartInfo = Platform.ChildStart.Redirected(SetSid, ["/bin/sh", "-c", command]),
        };
        process.StartInfo.Environment.Remove(Configuration.ConfigLoader.PasswordVariable);
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
        try
        {
            groupStarted?.Invoke(process.Id);
        }
        catch
        {
            // Whoever needed the group recorded could not record it (the journal): the command
            // must not run on unrecorded.
            await KillGroupAsync(process, exited.Task);
            throw;
        }

        using var limit = new CancellationTokenSource(timeout, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await exited.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await KillGroupAsync(process, exited.Task);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandOutcome(command, null, Text(output), clock.GetElapsedTime(started)) { Limit = timeout };
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

        return new CommandOutcome(command, process.ExitCode, Text(output), clock.GetElapsedTime(started));
    }

    private static async Task KillGroupAsync(Process process, Task exited)
    {
        _ = Platform.LibC.Kill(-process.Id, Platform.LibC.SigKill);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone with its group.
        }

        await exited.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
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
