using System.CommandLine;
using NLog;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.Logging;
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

    private SignalWatch? _signals;

    /// <summary>A subcommand with its options whose action is <paramref name="work"/>, run inside a session.</summary>
    public static Command Define(
        string name,
        string description,
        CliServices services,
        IReadOnlyList<Option> options,
        Func<ParseResult, CommandSession, CancellationToken, Task<int>> work)
    {
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        Bind(command, services, work);
        return command;
    }

    /// <summary>A subcommand whose only option is <c>--json</c>.</summary>
    public static Command DefineWithJson(
        string name, string description, CliServices services, Func<CommandSession, bool, CancellationToken, Task<int>> work) =>
        Define(name, description, services, [CommonOptions.Json], (parseResult, session, token) => work(session, parseResult.GetValue(CommonOptions.Json), token));

    /// <summary>Makes <paramref name="work"/> the command's action, run inside a session.</summary>
    public static void Bind(Command command, CliServices services, Func<ParseResult, CommandSession, CancellationToken, Task<int>> work) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            command.Name, parseResult, services, (session, token) => work(parseResult, session, token), cancellationToken));

    public static async Task<int> RunAsync(
        string command,
        ParseResult parseResult,
        CliServices services,
        Func<CommandSession, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken)
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
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        try
        {
            var (path, loaded) = session.LoadSettings(parseResult.GetValue(CommonOptions.Config));
            var settings = loaded.Settings;
            using var configuredLogFile = logFileFromEnvironment is null && settings.Logging.File is { } logFile
                ? LogSetup.UseLogFile(logFile)
                : null;
            foreach (var warning in loaded.Warnings)
            {
                Log.Warn("{warning}", warning);
            }

            await session.WriteNoticesAsync(loaded.Warnings.Select(Pipeline.Notice.Warning));
            Log.Info("{command} started with {config}", command, path);
            using var volumeScope = ScopeContext.PushProperty("volume", settings.Instance.VolumeId);
            session.Wired = CompositionRoot.Build(settings, services, session.RunId);
            return await work(session, linked.Token);
        }
        catch (BackupException e)
        {
            Log.Error("{command} failed (exit {code}): {message}", command, e.ExitCode, e.Message);
            await error.WriteLineAsync($"offline-backup {command}: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            Log.Warn("{command} interrupted", command);
            await error.WriteLineAsync($"offline-backup {command}: interrupted");
            return session.InterruptedExitCode;
        }
        catch (Exception e)
        {
            Log.Fatal(e, "{command}: unexpected error", command);
            await error.WriteLineAsync(
                $"offline-backup {command}: internal error (a bug, please report it): {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
        finally
        {
            LogSetup.Flush();
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
        return (path, ConfigLoader.Load(path, Services.Environment));
    }
}
