using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using OfflineBackup.Platform;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// A program run as a child process, its output kept line by line (stdout, stderr, and both in
/// the order they arrived), so a caller can wait for a line, signal it, and read all it printed.
/// The one process runner of the tests, the bench and the sandbox: the MariaDB tools, the sandbox
/// script, dotnet publish and the real offline-backup binary (<see cref="ToolProcess"/>) all run
/// here. Stdin is closed at once: nothing here is interactive.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What it printed on stdout so far.</summary>
    public string StandardOutput => Read(_stdout);

    /// <summary>What it printed on stderr so far.</summary>
    public string StandardError => Read(_stderr);

    /// <summary>Both streams' lines so far, in the order they arrived, as a person at a terminal sees them.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    private const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="onOutput">Called with each stdout line as it arrives (to pass it through).</param>
    /// <param name="onError">Called with each stderr line as it arrives.</param>
    /// <param name="inheritEnvironment">False: the program sees only <paramref name="environment"/>, nothing of ours.</param>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string?>>? environment = null,
        Action<string>? onOutput = null,
        Action<string>? onError = null,
        bool inheritEnvironment = true)
    {
        var start = ChildStart.Redirected(fileName, arguments);

        if (!inheritEnvironment)
        {
            start.Environment.Clear();
        }

        foreach (var (name, value) in environment ?? [])
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        // A .NET child killed with SIGKILL (many tests do that on purpose) cannot remove the
        // diagnostic pipes its runtime made in /tmp at start-up; with diagnostics off it makes none.
        if (environment?.Any(v => v.Key == DiagnosticsVariable) != true)
        {
            start.Environment[DiagnosticsVariable] = "0";
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(child._stdout, e.Data, onOutput);
        process.ErrorDataReceived += (_, e) => child.Append(child._stderr, e.Data, onError);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a program to its end; a cancelled caller does not leave it running behind (disposing kills it).</summary>
    public static async Task<CommandResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var child = Start(fileName, arguments);
        var exitCode = await child.WaitAsync(cancellationToken);
        return new CommandResult(exitCode, child.StandardOutput, child.StandardError);
    }

    /// <summary>Runs a /bin/sh command line to its end.</summary>
    public static Task<CommandResult> RunShellAsync(string command, CancellationToken cancellationToken) =>
        RunAsync("/bin/sh", ["-c", command], cancellationToken);

    /// <summary>The exit code, once the program has exited and all it printed has been read. Cancelling the wait leaves the program be.</summary>
    public async Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);

        // The asynchronous readers may still be delivering the last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Like <see cref="WaitAsync(CancellationToken)"/>, failing with all it printed if <paramref name="limit"/> passes first.</summary>
    public async Task<int> WaitAsync(TimeSpan limit)
    {
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            return await WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"still running after {limit}\n{this}");
        }
    }

    /// <summary>The first line (of either stream) that matches, once printed; fails if the program exits or the limit passes first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
    {
        string? found = null;
        await WaitForAsync(
            () =>
            {
                lock (_lines)
                {
                    found = _lines.FirstOrDefault(match);
                }

                return found is not null;
            },
            limit,
            "the line awaited was not printed");
        return found!;
    }

    /// <summary>Until the condition holds; fails if the program exits or the limit passes first.</summary>
    public Task WaitForAsync(Func<bool> condition, TimeSpan limit) =>
        WaitForAsync(condition, limit, "the condition awaited did not hold");

    /// <summary>kill(2): any signal, not only the SIGKILL .NET's Process can send.</summary>
    public void Signal(int signal)
    {
        if (LibC.Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public override string ToString() => $"--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";

    /// <summary>Kills it and whatever it started, unless it has exited.</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);

                // Kill only sends SIGKILL: wait (bounded) until the child is gone, so a caller
                // that goes on after a cancelled run never finds it still there.
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        KillTree();
        _process.Dispose();
    }

    private async Task WaitForAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (!condition())
        {
            if (_process.HasExited)
            {
                // What it printed last may still be on its way: look once more before failing.
                _process.WaitForExit();
                if (condition())
                {
                    return;
                }

                throw new InvalidOperationException($"{what}: the program exited {_process.ExitCode} first\n{this}");
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} within {limit}\n{this}");
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }
    }

    private void Append(StringBuilder stream, string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
            stream.AppendLine(line);
        }

        onLine?.Invoke(line);
    }

    private string Read(StringBuilder stream)
    {
        lock (_lines)
        {
            return stream.ToString();
        }
    }
}
