using NLog;
using NLog.Config;
using NLog.Layouts;

namespace OfflineBackup.Logging;

/// <summary>
/// Points NLog at nlog.config (see <see cref="FindConfigFile"/>). The log is a record for later (JSON lines in a
/// file), never a route to the console: what a person reads, the commands write themselves.
/// NLog's configuration is process-wide, so it is loaded once; the file of each invocation is a
/// scope property (AsyncLocal), so invocations that run side by side (tests) each write their own.
/// </summary>
public static class LogSetup
{
    public const string LogFileVariable = "OFFLINE_BACKUP_LOG_FILE";

    /// <summary>Where the Debian package puts nlog.config.</summary>
    public const string InstalledConfigPath = "/etc/offline-backup/nlog.config";

    // The scope property that carries an invocation's log file.
    private const string LogFileProperty = "logfile";
    private static readonly Lock Loading = new();
    private static LoggingConfiguration? _loaded;

    /// <summary>Loads the configuration once per process; then every invocation's events go to its own file.</summary>
    public static void EnsureConfigured()
    {
        lock (Loading)
        {
            // Loaded once; again only if something (a test) replaced it meanwhile.
            if (_loaded is not null && ReferenceEquals(LogManager.Configuration, _loaded))
            {
                return;
            }

            var configuration = FindConfigFile() is { } configPath
                ? new XmlLoggingConfiguration(configPath)
                : BuiltInConfiguration();

            // nlog.config's own ${var:logfile} becomes: this invocation's file, else the configured one.
            const string ConfigVariable = "logfile";
            const string DefaultVariable = "logfile_default";
            if (configuration.Variables.TryGetValue(ConfigVariable, out var configured))
            {
                configuration.Variables[DefaultVariable] = DefaultLogFileOverride is { } file ? file : configured;
                configuration.Variables[ConfigVariable] = Layout.FromString(
                    $"${{scopeproperty:item={LogFileProperty}:whenEmpty=${{var:{DefaultVariable}}}}}");
            }

            LogManager.Configuration = configuration;
            _loaded = configuration;
        }
    }

    /// <summary>
    /// nlog.config beside the binary wins (a manual install, the dotnet tool), then the one the
    /// Debian package installs in /etc (a conffile: /usr/bin is no place for configuration);
    /// both are there so operators can change them. Without either (a binary copied alone) the
    /// copy built into the binary logs the same way instead of not at all.
    /// </summary>
    internal static string? FindConfigFile() =>
        new[] { Path.Combine(AppContext.BaseDirectory, "nlog.config"), InstalledConfigPath }.FirstOrDefault(File.Exists);

    /// <summary>
    /// Where events outside any invocation's scope go instead of nlog.config's file; set before
    /// the first load. The tests set /dev/null, so no test writes /var/log/offline-backup.
    /// </summary>
    internal static string? DefaultLogFileOverride { get; set; }

    /// <summary>This invocation's log file from here on (null: nlog.config's); dispose to go back.</summary>
    public static IDisposable UseLogFile(string? logFile) =>
        ScopeContext.PushProperty(LogFileProperty, logFile ?? string.Empty);

    internal static XmlLoggingConfiguration BuiltInConfiguration()
    {
        using var stream = typeof(LogSetup).Assembly.GetManifestResourceStream("nlog.config")
            ?? throw new InvalidOperationException("nlog.config is not embedded in the binary");
        using var reader = new StreamReader(stream);
        return XmlLoggingConfiguration.CreateFromXmlString(reader.ReadToEnd());
    }

    public static void Flush() => LogManager.Flush(TimeSpan.FromSeconds(5));
}
