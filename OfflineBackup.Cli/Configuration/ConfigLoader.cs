using OfflineBackup.Errors;
using OfflineBackup.Configuration.Sections;
using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration;

/// <summary>Reads and validates config.yml. Every failure is a ConfigurationException (exit 2).</summary>
public static class ConfigLoader
{
    public const string DefaultPath = "/etc/offline-backup/config.yml";
    public const string PathVariable = "OFFLINE_BACKUP_CONFIG";
    public const string PasswordVariable = "OFFLINE_BACKUP_MYSQL_PASSWORD";

    /// <summary>The file to load: the one named on the command line, else $OFFLINE_BACKUP_CONFIG, else the default.</summary>
    public static string ResolvePath(string? explicitPath, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return explicitPath;
        }

        var fromEnvironment = environment(PathVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultPath : fromEnvironment;
    }

    public static LoadedConfig Load(string path, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ConfigurationException("no configuration file was given");
        }

        var file = Path.GetFullPath(path);
        var text = TextFileReader.Read(file, problem => ConfigError.At(file, null, null, $"the file {problem}"));
        var root = ConfigMapping.Root(file, YamlConfigParser.ParseRoot(file, text));

        // Open every section (in the schema's order) before reading values: a misplaced or
        // misspelt key is reported as such, not as a bad value somewhere else.
        var sections = ConfigSchema.SectionNames.ToDictionary(name => name, root.Section);

        var warnings = new List<string>();
        var instanceSettings = InstanceSectionReader.Read(sections["instance"]);
        var awsSettings = AwsSectionReader.Read(sections["aws"]);
        var settings = new Settings(
            SourcePath: file,
            MySql: MySqlSectionReader.Read(sections["mysql"], environment, warnings),
            Instance: instanceSettings,
            Aws: awsSettings,
            Service: ServiceSectionReader.Read(sections["service"]),
            Guards: GuardsSectionReader.Read(sections["guards"]),
            Retention: RetentionSectionReader.Read(sections["retention"]),
            State: StateAndLoggingSectionReaders.ReadState(sections["state"]),
            Logging: StateAndLoggingSectionReaders.ReadLogging(sections["logging"]))
        {
            Copy = CopySectionReader.Read(sections["copy"], instanceSettings, awsSettings),
            Placement = InstanceSectionReader.ReadPlacement(sections["instance"]),
            Drill = DrillSectionReader.Read(sections["drill"]),
            Restore = DrillSectionReader.ReadRestore(sections["restore"]),
            Metrics = MetricsSectionReader.Read(sections["metrics"]),
            Consistency = ConsistencySectionReader.Read(sections["consistency"]),
        };
        return new LoadedConfig(settings, warnings);
    }
}
