using NLog;
using OfflineBackup.Configuration;

namespace OfflineBackup.Metrics;

/// <summary>
/// Rewrites the metrics file at the end of an invocation: the previous file's values, what this
/// invocation learned, rendered and replaced atomically. Monitoring must never change a
/// backup's outcome: every failure here comes back as a warning for the command to print,
/// never as an exception or an exit code.
/// </summary>
public static class MetricsRecorder
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>Null when the file was written (or none is configured), else the warning for the person.</summary>
    public static Task<string?> RecordAsync(
        Settings settings, string command, InvocationFacts facts, int exitCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(facts);
        return MetricsTarget.From(settings) is { } target
            ? WriteAsync(target, command, set => MetricsUpdate.Apply(set, settings, command, facts, exitCode, now), cancellationToken)
            : Task.FromResult<string?>(null);
    }

    /// <summary>An invocation whose configuration did not load: only its outcome, under the labels the file was found with.</summary>
    public static Task<string?> RecordOutcomeAsync(
        MetricsTarget target, string command, bool dryRun, int exitCode, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(target, command, set => MetricsUpdate.ApplyOutcome(set, command, dryRun, exitCode, now), cancellationToken);

    private static async Task<string?> WriteAsync(MetricsTarget target, string command, Action<MetricSet> update, CancellationToken cancellationToken)
    {
        if (!MetricCatalog.RecordingCommands.Contains(command))
        {
            return null;
        }

        var path = target.Textfile;
        string? warning = null;
        try
        {
            var set = ReadPrevious(target, ref warning);
            update(set);
            await AtomicTextfile.WriteAsync(path, await TextfileRenderer.RenderAsync(set, target.VolumeId, target.InstanceId, cancellationToken), cancellationToken);
            Log.Info("metrics written to {path}", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warning = $"the metrics file {path} could not be written: {e.Message}";
        }
#pragma warning disable CA1031 // Monitoring must not change the outcome: even a bug here is a warning, with its details in the log.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Error(e, "metrics: unexpected error");
            warning = $"the metrics file {path} was not written: internal error (a bug, please report it): {e.GetType().Name}: {e.Message}";
        }

        if (warning is not null)
        {
            Log.Warn("{warning}", warning);
        }

        return warning;
    }

    private static MetricSet ReadPrevious(MetricsTarget target, ref string? warning)
    {
        if (!File.Exists(target.Textfile))
        {
            return new MetricSet();
        }

        try
        {
            return TextfileParser.Parse(File.ReadAllText(target.Textfile), target.VolumeId, target.InstanceId);
        }
        catch (FormatException e)
        {
            // Rewritten from scratch: one run's figures are lost, the file is readable again.
            warning = $"the previous metrics file {target.Textfile} was unreadable ({e.Message}); values of earlier runs were not carried over";
            return new MetricSet();
        }
    }
}
