using System.Globalization;
using OfflineBackup.Errors;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>What one invocation of the tool printed and returned.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>
/// The tool's invocations as the sandbox shows them: the command line, what the tool prints as
/// it prints it, and the exit code. An interrupted invocation is wound down as on a real host.
/// </summary>
internal sealed class SandboxTool(ToolWorld world, TextWriter output, TextWriter error)
{
    /// <summary>How long an interrupted tool may take to start MySQL again and exit.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(60);

    public async Task<ToolResult> RunAsync(string command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await output.WriteLineAsync();
        await output.WriteLineAsync($"$ offline-backup {command} --config {world.Files.Config}");
        await output.FlushAsync(cancellationToken);

        // In a session of its own (setsid(1) execs it under the same PID): a Ctrl-C at the
        // terminal reaches the sandbox only, which passes exactly one SIGINT on. What the tool
        // prints is passed through, not cancelled with the run: what an interrupted tool says
        // last is worth seeing.
        var tool = new ToolProcess(world.Binary)
        {
            Wrapper = ["setsid"],
            OnOutput = output.WriteLine,
            OnError = error.WriteLine,
        };
        using var process = tool.Start([command, "--config", world.Files.Config]);
        var interrupted = false;
        try
        {
            await process.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
        }

        var exitCode = interrupted ? await WindDownAsync(process) : await process.WaitAsync(CancellationToken.None);
        await output.WriteLineAsync($"[exit {exitCode}: {ExitCodes.Describe(exitCode)}]");
        if (interrupted)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return new ToolResult(exitCode, process.StandardOutput, process.StandardError);
    }

    /// <summary>Interrupted: the tool gets SIGINT and is waited for, so that it can start MySQL again and say so.</summary>
    private static async Task<int> WindDownAsync(ChildProcess process)
    {
        if (!process.HasExited)
        {
            process.Signal(Signals.Int);
        }

        try
        {
            return await process.WaitAsync(InterruptGrace);
        }
        catch (TimeoutException)
        {
            process.KillTree();
            return await process.WaitAsync(CancellationToken.None);
        }
    }
}
