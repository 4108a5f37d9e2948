using System.Diagnostics;
using System.Text;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// The real offline-backup binary as a child process, for what only a process can show:
/// signals, SIGKILL, and two runs at once. Dummy AWS credentials keep the SDK away from
/// instance metadata.
/// </summary>
internal sealed partial class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static CliProcess Start(string logFile, params string[] args)
    {
        // The CLI project's own build output, not the copy beside the tests: the tests load the
        // ASP.NET shared framework (for the EC2 double), so the build leaves out of their folder
        // the assemblies that framework also carries (Microsoft.Extensions.ObjectPool, which
        // prometheus-net needs), and the copy there could not write its metrics file.
        var binary = Sandbox.RepositoryFiles.Path(Path.Combine("OfflineBackup.Cli", "bin", Sandbox.RepositoryFiles.Configuration, "net10.0", "offline-backup"));
        var start = new ProcessStartInfo(binary, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "not-a-real-secret";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["OFFLINE_BACKUP_LOG_FILE"] = logFile;
        var process = new Process { StartInfo = start };
        var child = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(child._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(child._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public void Signal(int signal) => Assert.Equal(0, Platform.Kill(Pid, signal));

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    public override string ToString() => $"--- stdout\n{Output}\n--- stderr\n{Error}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    /// <summary>kill(2), for signals .NET's Process cannot send.</summary>
    private static partial class Platform
    {
        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
        public static partial int Kill(int pid, int signal);
    }
}
