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
        var binary = Path.Combine(AppContext.BaseDirectory, "offline-backup");
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
        return Launch(start);
    }

    /// <summary>
    /// The binary as on a bare host: an environment with nothing from this machine (no AWS
    /// variables, an empty HOME, no profile), instance metadata pointed at a closed loopback
    /// port, so the SDK's own credential and region lookups fail as they do on an instance
    /// without a role. <paramref name="environment"/> adds what the test gives on purpose.
    /// With <paramref name="ownGroup"/> the tool leads a process group of its own (setsid), so a
    /// test may signal that whole group as a terminal or systemd would.
    /// </summary>
    public static CliProcess StartBare(
        string logFile, string home, IReadOnlyDictionary<string, string>? environment, bool ownGroup, params string[] args)
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "offline-backup");
        var start = new ProcessStartInfo(ownGroup ? "/usr/bin/setsid" : binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in ownGroup ? [binary, .. args] : args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["HOME"] = home;
        start.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = $"http://127.0.0.1:{OfflineBackup.Sandbox.MariaDb.FreePort.Pick()}";
        start.Environment["OFFLINE_BACKUP_LOG_FILE"] = logFile;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Launch(start);
    }

    /// <summary>Runs the bare binary to its end; the exit code and text, and how long it took.</summary>
    public static async Task<(CliResult Result, TimeSpan Took)> RunBareAsync(
        string logFile, string home, IReadOnlyDictionary<string, string>? environment, TimeSpan patience, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var child = StartBare(logFile, home, environment, ownGroup: false, args);
        var code = await child.WaitAsync(patience);
        return (new CliResult(code, child.Output, child.Error), clock.Elapsed);
    }

    private static CliProcess Launch(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        var child = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(child._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(child._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends <paramref name="signal"/> to the tool's whole process group (started with ownGroup).</summary>
    public void SignalGroup(int signal) => Assert.Equal(0, Platform.Kill(-Pid, signal));

    public void Signal(int signal) => Assert.Equal(0, Platform.Kill(Pid, signal));

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);

        // The exit event can come before the last lines; WaitForExit() drains the readers.
        _process.WaitForExit();
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
