using NLog;
using NLog.Config;

namespace OfflineBackup.Logging;

/// <summary>
/// Points NLog at nlog.config beside the binary, at the chosen log file, and adds the person
/// target. NLog's configuration is process-wide, so one invocation configures it at a time.
/// </summary>
public static class LogSetup
{
    public const string LogFileVariable = "OFFLINE_BACKUP_LOG_FILE";

    public static void Configure(TextWriter error, string? logFile)
    {
        var configPath = Path.Combine(AppContext.BaseDirectory, "nlog.config");
        var configuration = File.Exists(configPath)
            ? new XmlLoggingConfiguration(configPath)
            : new LoggingConfiguration();
        if (logFile is not null)
        {
            configuration.Variables["logfile"] = logFile;
        }

        var person = new PersonTarget(error) { Name = "person" };
        configuration.AddRule(LogLevel.Warn, LogLevel.Fatal, person);
        LogManager.Configuration = configuration;
    }

    /// <summary>Points the file target at another path once the config file named one.</summary>
    public static void UseLogFile(string logFile)
    {
        var configuration = LogManager.Configuration;
        if (configuration is null)
        {
            return;
        }

        configuration.Variables["logfile"] = logFile;
        LogManager.ReconfigExistingLoggers();
    }

    public static void Flush() => LogManager.Flush(TimeSpan.FromSeconds(5));
}
