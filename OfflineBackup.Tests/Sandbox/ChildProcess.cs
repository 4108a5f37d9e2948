using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// A program run the way a person runs it from a shell, its output kept line by line so a test
/// can wait for a line, signal it, and read everything it printed.
/// </summary>
internal sealed partial class ChildProcess : IDisposable
{
    public const int SigInt = 2;

    private readonly Process _process;
    private readonly List<string> _lines = [];

    private ChildProcess(Process process) => _process = process;

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

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first line that matches, once printed; fails if the program exits or the limit passes first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_lines)
            {
                var found = _lines.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }
            }

            if (_process.HasExited)
            {
                Assert.Fail($"exited {_process.ExitCode} before printing the line awaited\n{Output}");
            }

            Assert.True(deadline.Elapsed < limit, $"the line awaited was not printed within {limit}\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Until the condition holds; fails if the program exits or the limit passes first.</summary>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited)
            {
                Assert.Fail($"exited {_process.ExitCode} before the condition awaited held\n{Output}");
            }

            Assert.True(deadline.Elapsed < limit, $"the condition awaited did not hold within {limit}\n{Output}");
            await Task.Delay(50);
        }
    }

    public async Task<int> WaitAsync(TimeSpan limit)
    {
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"still running after {limit}\n{Output}");
        }

        // The asynchronous readers may still be delivering the last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
