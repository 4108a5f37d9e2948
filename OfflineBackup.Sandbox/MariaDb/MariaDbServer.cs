using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// One real mariadbd in its own directory on a loopback port. It is always started through
/// <see cref="StartCommand"/> and stopped through <see cref="StopCommand"/>, the same /bin/sh
/// strings the tool's <c>run</c> is configured with, so tests exercise exactly those.
/// </summary>
public sealed partial class MariaDbServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private MariaDbConfigFile _config;

    internal MariaDbServer(string name, MariaDbConfigFile config, string rootPassword)
    {
        if (!SafePath().IsMatch(config.Directory))
        {
            // The directory is pasted into shell commands unquoted-safe only for plain paths.
            throw new ArgumentException($"sandbox directory '{config.Directory}' has characters unsafe in a shell command");
        }

        Name = name;
        _config = config;
        RootPassword = rootPassword;
    }

    public string Name { get; }

    public MariaDbRole Role => _config.Role;

    public string Host => "127.0.0.1";

    public int Port => _config.Port;

    public string Directory => _config.Directory;

    public string DefaultsFile => _config.FilePath;

    public string PidFile => _config.PidFile;

    public string SocketPath => _config.SocketPath;

    public string ErrorLog => _config.ErrorLog;

    public bool SkipSlaveStart => _config.SkipSlaveStart;

    public string RootUser => "root";

    public string RootPassword { get; }

    /// <summary>
    /// Starts the server detached and returns at once, as a service manager would: setsid takes
    /// it out of the caller's session and signals, the redirections free the caller's pipes,
    /// and the wrapping shell stays as its parent so that it is reaped when it exits. Like
    /// <c>systemctl start</c>, it does nothing when the server already runs.
    /// </summary>
    public string StartCommand =>
        $"{RunningCheck} && exit 0; " +
        $"setsid /bin/sh -c 'mariadbd --defaults-file={DefaultsFile}; :' </dev/null >/dev/null 2>&1 &";

    /// <summary>
    /// As <see cref="StartCommand"/>, but the server stays in the caller's session and process
    /// group, as under <c>mysqld_safe &amp;</c> or a start script that does not detach it: what a
    /// recovery must not end with the start command's group.
    /// </summary>
    public string StartAttachedCommand =>
        $"{RunningCheck} && exit 0; " +
        $"/bin/sh -c 'mariadbd --defaults-file={DefaultsFile}; :' </dev/null >/dev/null 2>&1 &";

    /// <summary>
    /// Clean shutdown (SIGTERM) of the server named by the pid file, waiting until it has
    /// exited like <c>systemctl stop</c> does. A pid file left by a crash whose PID now belongs
    /// to another program is ignored, and an already stopped server is success.
    /// </summary>
    public string StopCommand =>
        $"{RunningCheck} || exit 0; " +
        "kill -TERM \"$pid\" || exit 0; " +
        "while kill -0 \"$pid\" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' /proc/\"$pid\"/status 2>/dev/null; do sleep 0.05; done";

    /// <summary>
    /// Like <see cref="StopCommand"/> but with SIGKILL: the server dies as in a crash, without a
    /// shutdown (no flush, no "Shutdown complete" in its error log), and the command waits until it is gone.
    /// </summary>
    public string CrashCommand => StopCommand.Replace("kill -TERM", "kill -KILL", StringComparison.Ordinal);

    /// <summary>
    /// Shell condition: the pid file names a live process started with our defaults file (a
    /// pid file left by a crash, its PID now reused by another program, does not count). Sets $pid.
    /// </summary>
    private string RunningCheck =>
        $"{{ [ -f {PidFile} ] && pid=$(cat {PidFile}) && " +
        $"tr '\\0' ' ' < /proc/\"$pid\"/cmdline 2>/dev/null | grep -qF -- '--defaults-file={DefaultsFile}'; }}";

    internal MariaDbConfigFile Config => _config;

    /// <summary>The server's PID from its pid file, or null when it has none or it is not running.</summary>
    public int? ReadPid()
    {
        try
        {
            var pid = int.Parse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture);
            return SandboxProcesses.IsAlive(pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>True when the server sends its greeting on the TCP port (no login needed).</summary>
    public Task<bool> IsUpAsync(CancellationToken cancellationToken) =>
        HandshakeProbe.IsAcceptingAsync(Host, Port, TimeSpan.FromSeconds(2), cancellationToken);

    /// <summary>Runs <see cref="StartCommand"/> and waits until the server serves clients.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logOffset = File.Exists(ErrorLog) ? new FileInfo(ErrorLog).Length : 0;
        var result = await ChildProcess.RunShellAsync(StartCommand, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{Name}: start command failed ({result.ExitCode}): {result.StandardError}");
        }

        var clock = Stopwatch.StartNew();
        while (!await IsUpAsync(cancellationToken))
        {
            var log = await ReadErrorLogSinceAsync(logOffset, cancellationToken);
            if (log.Contains("[ERROR] Aborting", StringComparison.Ordinal) || clock.Elapsed > StartTimeout)
            {
                throw new MariaDbStartException(Name, Port, log);
            }

            await Task.Delay(15, cancellationToken);
        }
    }

    /// <summary>Runs <see cref="StopCommand"/> (clean shutdown) and checks the process is gone.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var pid = ReadPid();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        var result = await ChildProcess.RunShellAsync(StopCommand, timeout.Token);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{Name}: stop command failed ({result.ExitCode}): {result.StandardError}");
        }

        if (pid is { } running && SandboxProcesses.IsAlive(running))
        {
            throw new InvalidOperationException($"{Name}: mariadbd {running} still runs after the stop command");
        }
    }

    /// <summary>Takes effect at the next start, like editing my.cnf on a real replica.</summary>
    internal async Task RewriteConfigAsync(MariaDbConfigFile config, CancellationToken cancellationToken)
    {
        _config = config;
        await config.WriteAsync(cancellationToken);
    }

    internal async Task<string> ReadErrorLogSinceAsync(long offset, CancellationToken cancellationToken)
    {
        if (!File.Exists(ErrorLog))
        {
            return string.Empty;
        }

        await using var stream = new FileStream(ErrorLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z0-9/._-]+$")]
    private static partial Regex SafePath();
}

/// <summary>mariadbd did not come up; carries the error log written during the attempt.</summary>
public sealed class MariaDbStartException(string name, int port, string errorLog)
    : Exception($"{name} on port {port} did not start:\n{errorLog}")
{
    public bool PortInUse =>
        errorLog.Contains("Address already in use", StringComparison.Ordinal)
        || errorLog.Contains("Do you already have another server running on port", StringComparison.Ordinal);
}
