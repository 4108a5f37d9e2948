using OfflineBackup.Commands;

namespace OfflineBackup.Tests.Support;

/// <summary>What one invocation of the CLI returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs whole commands in-process through the real parser: arguments in, exit code and text out.
/// Each harness has its own directory for the config, lock, journal and log files.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public CliHarness(IAdapterFactory adapters, TimeProvider? clock = null)
    {
        Adapters = adapters;
        Clock = clock ?? TimeProvider.System;
        _environment["OFFLINE_BACKUP_LOG_FILE"] = LogFile;
    }

    public TempDirectory Directory { get; } = new();

    public IAdapterFactory Adapters { get; }

    public TimeProvider Clock { get; }

    public string ConfigPath => Directory.File("config.yml");

    public string LogFile => Directory.File("offline-backup.log");

    public string LockFile => Directory.File("offline-backup.lock");

    public string JournalFile => Directory.File("journal.json");

    public void SetEnvironment(string name, string? value) => _environment[name] = value;

    /// <summary>Writes config.yml; <paramref name="config"/> fills in the paths of this harness.</summary>
    public string WriteConfig(TestConfig config)
    {
        File.WriteAllText(ConfigPath, config.Render(LockFile, JournalFile));
        File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return ConfigPath;
    }

    public Task<CliResult> RunAsync(params string[] args)
    {
        var withConfig = args.Contains("--config") || args.Contains("--help") || args.Contains("--version")
            ? args
            : [.. args, "--config", ConfigPath];
        return RunExactlyAsync(withConfig);
    }

    /// <summary>Runs the arguments as given, without adding this harness's --config.</summary>
    public Task<CliResult> RunExactlyAsync(params string[] args) => RunExactlyAsync(CancellationToken.None, args);

    /// <summary>
    /// Runs with a token the test cancels: the same path a signal takes through CommandSession
    /// (the exit code is then 143, as for SIGTERM: CommandSession's reading of a cancellation without a signal).
    /// </summary>
    public Task<CliResult> RunCancellableAsync(CancellationToken cancellationToken, params string[] args) =>
        RunExactlyAsync(cancellationToken, [.. args, "--config", ConfigPath]);

    private async Task<CliResult> RunExactlyAsync(CancellationToken cancellationToken, string[] args)
    {
        var services = new CliServices(name => _environment.GetValueOrDefault(name), Clock, Adapters, "db-replica-test")
        {
            CreateBackoff = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)],
            RetentionBackoff = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)],
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.InvokeAsync(args, services, output, error, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty;

    public void Dispose() => Directory.Dispose();
}
