using System.CommandLine;
using NLog;
using OfflineBackup.Configuration;
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

    public Settings Settings { get; private set; } = null!;

    /// <summary>What the command learned, for the metrics file written once the exit code is known.</summary>
    public InvocationFacts Facts { get; } = new();

    /// <summary>130 or 143, by the signal that cancelled the invocation (see <see cref="SignalWatch"/>).</summary>
    public int InterruptedExitCode => _signals?.ExitCode ?? ExitCodes.Interrupted;

    private SignalWatch? _signals;

    private Func<CommandSession, int, string, Task>? _onFailure;

    private string? _configPath;

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
        LogSetup.Configure(error, services.Environment(LogSetup.LogFileVariable));
        using var runScope = ScopeContext.PushProperty("runId", session.RunId);
        using var commandScope = ScopeContext.PushProperty("command", command);

        // SIGINT, SIGTERM and SIGHUP cancel the work through this token; the work decides what
        // must still happen (a run starts MySQL again) before it returns.
        using var signals = new SignalWatch();
        session._signals = signals;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        session.Facts.DryRun = parseResult.GetResult(CommonOptions.DryRun) is not null && parseResult.GetValue(CommonOptions.DryRun);
        session._onFailure = onFailure;
        try
        {
            var exitCode = await session.ExecuteAsync(parseResult, work, linked);
            await session.RecordMetricsAsync(exitCode);
            return exitCode;
        }
        finally
        {
            LogSetup.Flush();
        }
    }

    private async Task<int> ExecuteAsync(
        ParseResult parseResult, Func<CommandSession, CancellationToken, Task<int>> work, CancellationTokenSource linked)
    {
        try
        {
            Settings = LoadSettings(parseResult.GetValue(CommonOptions.Config));
            using var volumeScope = ScopeContext.PushProperty("volume", Settings.Instance.VolumeId);
            return await work(this, linked.Token);
        }
        catch (BackupException e)
        {
            Log.WithProperty(LogSetup.ShownProperty, true).Error("{command} failed (exit {code}): {message}", Command, e.ExitCode, e.Message);
            await Error.WriteLineAsync($"offline-backup {Command}: {e.Message}");
            return await FailedAsync(e.ExitCode, e.Message);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            Log.WithProperty(LogSetup.ShownProperty, true).Warn("{command} interrupted", Command);
            await Error.WriteLineAsync($"offline-backup {Command}: interrupted");
            return await FailedAsync(InterruptedExitCode, "interrupted");
        }
        catch (Exception e)
        {
            Log.WithProperty(LogSetup.ShownProperty, true).Fatal(e, "{command}: unexpected error", Command);
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
        var warning = Settings is not null
            ? await MetricsRecorder.RecordAsync(Settings, Command, Facts, exitCode, now, CancellationToken.None)
            : _configPath is not null && MetricsTarget.FromInvalidConfig(_configPath) is { } target
                ? await MetricsRecorder.RecordOutcomeAsync(target, Command, Facts.DryRun, exitCode, now, CancellationToken.None)
                : null;
        if (warning is not null)
        {
            await Error.WriteLineAsync($"offline-backup {Command}: warning: {warning}");
        }
    }

    private Settings LoadSettings(string? configOption)
    {
        var path = ConfigLoader.ResolvePath(configOption, Services.Environment);
        _configPath = path;
        var loaded = ConfigLoader.Load(path, Services.Environment);
        if (loaded.Settings.Logging.File is { } logFile && Services.Environment(LogSetup.LogFileVariable) is null)
        {
            LogSetup.UseLogFile(logFile);
        }

        foreach (var warning in loaded.Warnings)
        {
            Log.Warn("{warning}", warning);
        }

        Log.Info("{command} started with {config}", Command, path);
        return loaded.Settings;
    }
}
