namespace OfflineBackup.Tests.Support;

/// <summary>What one invocation of the CLI returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs whole commands in-process through the real parser: arguments in, exit code and text out.
/// The config, lock, journal and log files are a world's (<see cref="ToolWorld"/>), or the
/// harness's own in a directory removed with it.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);
    private readonly TempDirectory? _ownDirectory;

    public CliHarness(IAdapterFactory adapters, TimeProvider? clock = null)
        : this(new TempDirectory(), adapters, clock)
    {
    }

    public CliHarness(ToolFiles files, IAdapterFactory adapters, TimeProvider? clock = null)
    {
        Files = files;
        Adapters = adapters;
        Clock = clock ?? TimeProvider.System;
        _environment["OFFLINE_BACKUP_LOG_FILE"] = LogFile;
    }

    private CliHarness(TempDirectory own, IAdapterFactory adapters, TimeProvider? clock)
        : this(new ToolFiles(own.Path), adapters, clock) => _ownDirectory = own;

    public ToolFiles Files { get; }

    public IAdapterFactory Adapters { get; }

    public TimeProvider Clock { get; }

    public string ConfigPath => Files.Config;

    public string LogFile => Files.Log;

    public string LockFile => Files.Lock;

    public string JournalFile => Files.Journal;

    /// <summary>
    /// Cancels the invocations, as a SIGTERM does through the session's signal watch (the same
    /// linked token); in-process, for a test that holds a phase with an in-process gate.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    public void SetEnvironment(string name, string? value) => _environment[name] = value;

    /// <summary>Writes config.yml: the tests' config with MySQL and EC2 where given, <paramref name="change"/> applied.</summary>
    public async Task<string> WriteConfigAsync(int mySqlPort, string password, Uri? ec2, Func<ToolConfig, ToolConfig>? change = null)
    {
        var config = TestConfig.For(Files, mySqlPort, password, ec2);
        await (change is null ? config : change(config)).WriteAsync(ConfigPath, CancellationToken.None);
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

    public string ReadLog() => Files.ReadLog();

    public void Dispose() => _ownDirectory?.Dispose();
}
