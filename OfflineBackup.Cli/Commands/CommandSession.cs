using System.CommandLine;
using NLog;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.Logging;
using OfflineBackup.Metrics;
using OfflineBackup.Platform;

namespace OfflineBackup.Commands;

/// <summary>
/// What every command does around its own work: find and load the configuration, set up the
/// log with a run id, and map failures to exit codes in exactly one place. Anticipated failures
/// (<see cref="BackupException"/>) print their message; anything else is a bug: exit 1, with the
/// details in the log.
/// </summary>
public sealed class CommandSession
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private CommandSession(string command, CliServices services, TextWriter output, TextWriter error)
    {
        Command = command;
        Services = services;
        Output = output;
        Error = error;
        RunId = services.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", global::System.Globalization.CultureInfo.InvariantCulture)
            + "-" + Guid.NewGuid().ToString("N")[..8];
    }

    public string Command { get; }

    public CliServices Services { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public string RunId { get; }

    public Settings Settings => Wired.Settings;

    /// <summary>The pipelines, built by <see cref="CompositionRoot"/> once the settings are loaded.</summary>
    public Wiring Wired { get; private set; } = null!;

    /// <summary>130 or 143, by the signal that cancelled the invocation (see <see cref="SignalWatch"/>).</summary>
    public int InterruptedExitCode => _signals?.ExitCode ?? ExitCodes.Interrupted;

    /// <summary>What the command learned, for the metrics file written once the exit code is known.</summary>
    public InvocationFacts Facts { get; } = new();

    private SignalWatch? _signals;

    private Func<CommandSession, int, string, Task>? _onFailure;

    private string? _configPath;

    private Settings? _loaded;

    /// <summary>The configured volume, or null when the configuration did not load.</summary>
    public string? VolumeId => _loaded?.Instance.VolumeId;

    /// <summary>A subcommand with its options whose action is <paramref name="work"/>, run inside a session.</summary>
    public static Command Define(
        string name,
        string description,
        CliServices services,
        IReadOnlyList<Option> options,
        Func<ParseResult, CommandSession, CancellationToken, Task<int>> work,
        Func<ParseResult, CommandSession, int, string, Task>? onFailure = null)
    {
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        Bind(command, services, work, onFailure);
        return command;
    }

    /// <summary>A subcommand whose only option is <c>--json</c>.</summary>
    public static Command DefineWithJson(
        string name, string description, CliServices services, Func<CommandSession, bool, CancellationToken, Task<int>> work) =>
        Define(name, description, services, [CommonOptions.Json], (parseResult, session, token) => work(session, parseResult.GetValue(CommonOptions.Json), token));

    /// <summary>
    /// Makes <paramref name="work"/> the command's action, run inside a session. <paramref name="onFailure"/>
    /// gets the exit code and message of a failure the work did not report itself (a configuration
    /// that does not load, a signal, a bug), for commands whose output is a contract (check --json).
    /// </summary>
    public static void Bind(
        Command command,
        CliServices services,
        Func<ParseResult, CommandSession, CancellationToken, Task<int>> work,
        Func<ParseResult, CommandSession, int, string, Task>? onFailure = null) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            command.Name,
            parseResult,
            services,
            (session, token) => work(parseResult, session, token),
            cancellationToken,
            onFailure is null ? null : (session, code, message) => onFailure(parseResult, session, code, message)));

    public static async Task<int> RunAsync(
        string command,
        ParseResult parseResult,
        CliServices services,
        Func<CommandSession, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken,
        Func<CommandSession, int, string, Task>? onFailure = null)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var session = new CommandSession(command, services, output, error);
        LogSetup.EnsureConfigured();
        var logFileFromEnvironment = services.Environment(LogSetup.LogFileVariable);
        using var logFileScope = LogSetup.UseLogFile(logFileFromEnvironment);
        using var runScope = ScopeContext.PushProperty("runId", session.RunId);
        using var commandScope = ScopeContext.PushProperty("command", command);

        // SIGINT, SIGTERM and SIGHUP cancel the work through this token; the work decides what
        // must still happen (a run starts MySQL again) before it returns.
        using var signals = new SignalWatch();
        session._signals = signals;

        // Logged because what follows can take a while (MySQL started again, a drill's volume
        // deleted). Registered here, not in the handler: the callback runs in this invocation's
        // context, so the line goes to this invocation's log file.
        using var noted = signals.Token.Register(() => Log.Warn("received {signal}: finishing what must be finished, then exiting", signals.Received));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        session.Facts.DryRun = parseResult.GetResult(CommonOptions.DryRun) is not null && parseResult.GetValue(CommonOptions.DryRun);
        session._onFailure = onFailure;
        try
        {
            var exitCode = await session.ExecuteAsync(parseResult, work, linked, logFileFromEnvironment);
            await session.RecordMetricsAsync(exitCode);
            return exitCode;
        }
        finally
        {
            LogSetup.Flush();
        }
    }

    private async Task<int> ExecuteAsync(
        ParseResult parseResult, Func<CommandSession, CancellationToken, Task<int>> work, CancellationTokenSource linked, string? logFileFromEnvironment)
    {
        try
        {
            var (path, loaded) = LoadSettings(parseResult.GetValue(CommonOptions.Config));
            var settings = loaded.Settings;
            _loaded = settings;
            using var configuredLogFile = logFileFromEnvironment is null && settings.Logging.File is { } logFile
                ? LogSetup.UseLogFile(logFile)
                : null;
            foreach (var warning in loaded.Warnings)
            {
                Log.Warn("{warning}", warning);
            }

            await WriteNoticesAsync(loaded.Warnings.Select(Pipeline.Notice.Warning));
            Log.Info("{command} started with {config}", Command, path);
            using var volumeScope = ScopeContext.PushProperty("volume", settings.Instance.VolumeId);
            Wired = CompositionRoot.Build(settings, Services, RunId, Facts.ObserveSnapshots);
            return await work(this, linked.Token);
        }
        catch (BackupException e)
        {
            Log.Error("{command} failed (exit {code}): {message}", Command, e.ExitCode, e.Message);
            await Error.WriteLineAsync($"offline-backup {Command}: {e.Message}");
            return await FailedAsync(e.ExitCode, e.Message);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            Log.Warn("{command} interrupted", Command);
            await Error.WriteLineAsync($"offline-backup {Command}: interrupted");
            return await FailedAsync(InterruptedExitCode, "interrupted");
        }
        catch (Exception e)
        {
            Log.Fatal(e, "{command}: unexpected error", Command);
            var message = $"internal error (a bug, please report it): {e.GetType().Name}: {e.Message}";
            await Error.WriteLineAsync($"offline-backup {Command}: {message}");
            return await FailedAsync(ExitCodes.InternalError, message);
        }
    }

    private async Task<int> FailedAsync(int exitCode, string message)
    {
        if (_onFailure is not null)
        {
            await _onFailure(this, exitCode, message);
        }

        return exitCode;
    }

    /// <summary>
    /// Rewrites the metrics file with the final exit code, whatever the outcome, signals included
    /// (hence no token). A configuration that failed validation is read leniently for the file
    /// and the labels; one that cannot be read names no file, and nothing is written.
    /// </summary>
    private async Task RecordMetricsAsync(int exitCode)
    {
        var now = Services.Clock.GetUtcNow();
        var warning = _loaded is not null
            ? await MetricsRecorder.RecordAsync(_loaded, Command, Facts, exitCode, now, CancellationToken.None)
            : _configPath is not null && MetricsTarget.FromInvalidConfig(_configPath) is { } target
                ? await MetricsRecorder.RecordOutcomeAsync(target, Command, Facts.DryRun, exitCode, now, CancellationToken.None)
                : null;
        if (warning is not null)
        {
            await Error.WriteLineAsync($"offline-backup {Command}: warning: {warning}");
        }
    }

    /// <summary>Writes what a step or guard had to say, as "offline-backup: warning: ..." on stderr.</summary>
    public async Task WriteNoticesAsync(IEnumerable<Pipeline.Notice> notices)
    {
        foreach (var notice in notices)
        {
            await Error.WriteLineAsync($"offline-backup: {notice}");
        }
    }

    private (string Path, LoadedConfig Loaded) LoadSettings(string? configOption)
    {
        var path = ConfigLoader.ResolvePath(configOption, Services.Environment);
        _configPath = path;
        return (path, ConfigLoader.Load(path, Services.Environment));
    }
}
