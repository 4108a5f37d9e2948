using NLog;
using NLog.Config;

namespace OfflineBackup.Logging;

/// <summary>
/// Points NLog at nlog.config (see <see cref="FindConfigFile"/>), at the chosen log file, and adds the person
/// target. NLog's configuration is process-wide, so one invocation configures it at a time.
/// </summary>
public static class LogSetup
{
    public const string LogFileVariable = "OFFLINE_BACKUP_LOG_FILE";

    /// <summary>Where the Debian package puts nlog.config.</summary>
    public const string InstalledConfigPath = "/etc/offline-backup/nlog.config";

    /// <summary>
    /// Event property meaning "the command prints this itself": the log keeps it, the person
    /// target skips it, so stderr does not say the same thing twice.
    /// </summary>
    public const string ShownProperty = "shown";

    public static void Configure(TextWriter error, string? logFile)
    {
        var configuration = FindConfigFile() is { } configPath
            ? new XmlLoggingConfiguration(configPath)
            : BuiltInConfiguration();
        if (logFile is not null)
        {
            configuration.Variables["logfile"] = logFile;
        }

        var person = new PersonTarget(error) { Name = "person" };
        configuration.AddRule(LogLevel.Warn, LogLevel.Fatal, person);
        LogManager.Configuration = configuration;
    }

    /// <summary>
    /// nlog.config beside the binary wins (a manual install, the dotnet tool), then the one the
    /// Debian package installs in /etc (a conffile: /usr/bin is no place for configuration);
    /// both are there so operators can change them. Without either (a binary copied alone) the
    /// copy built into the binary logs the same way instead of not at all.
    /// </summary>
    internal static string? FindConfigFile() =>
        new[] { Path.Combine(AppContext.BaseDirectory, "nlog.config"), InstalledConfigPath }.FirstOrDefault(File.Exists);

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

    internal static XmlLoggingConfiguration BuiltInConfiguration()
    {
        using var stream = typeof(LogSetup).Assembly.GetManifestResourceStream("nlog.config")
            ?? throw new InvalidOperationException("nlog.config is not embedded in the binary");
        using var reader = new StreamReader(stream);
        return XmlLoggingConfiguration.CreateFromXmlString(reader.ReadToEnd());
    }

    public static void Flush() => LogManager.Flush(TimeSpan.FromSeconds(5));
}
