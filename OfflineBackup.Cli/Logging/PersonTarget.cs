using NLog;
using NLog.Targets;

namespace OfflineBackup.Logging;

/// <summary>
/// Warnings and errors for the person at the terminal (or cron's mail), written as plain text
/// to the invocation's error writer rather than to Console, so CLI tests capture it.
/// </summary>
public sealed class PersonTarget(TextWriter writer) : TargetWithLayout
{
    protected override void Write(LogEventInfo logEvent)
    {
        if (logEvent.HasProperties && logEvent.Properties.ContainsKey(LogSetup.ShownProperty))
        {
            return;
        }

        var level = logEvent.Level >= LogLevel.Error ? "error" : "warning";
        writer.WriteLine($"offline-backup: {level}: {logEvent.FormattedMessage}");
    }
}
