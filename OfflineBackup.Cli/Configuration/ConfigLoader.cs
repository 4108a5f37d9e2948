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

        // Open every section before reading values: a misplaced or misspelt key is reported as
        // such, not as a bad value somewhere else.
        var mysql = root.Section("mysql");
        var instance = root.Section("instance");
        var aws = root.Section("aws");
        var service = root.Section("service");
        var guards = root.Section("guards");
        var retention = root.Section("retention");
        var copy = root.Section("copy");
        var state = root.Section("state");
        var logging = root.Section("logging");
        var drill = root.Section("drill");
        var restore = root.Section("restore");
        var metrics = root.Section("metrics");
        var consistency = root.Section("consistency");

        var warnings = new List<string>();
        var instanceSettings = InstanceSectionReader.Read(instance);
        var awsSettings = AwsSectionReader.Read(aws);
        var settings = new Settings(
            SourcePath: file,
            MySql: MySqlSectionReader.Read(mysql, environment, warnings),
            Instance: instanceSettings,
            Aws: awsSettings,
            Service: ServiceSectionReader.Read(service),
            Guards: GuardsSectionReader.Read(guards),
            Retention: RetentionSectionReader.Read(retention),
            State: StateAndLoggingSectionReaders.ReadState(state),
            Logging: StateAndLoggingSectionReaders.ReadLogging(logging))
        {
            Copy = CopySectionReader.Read(copy, instanceSettings, awsSettings),
            Placement = InstanceSectionReader.ReadPlacement(instance),
            Drill = DrillSectionReader.Read(drill),
            Restore = DrillSectionReader.ReadRestore(restore),
            Metrics = MetricsSectionReader.Read(metrics),
            Consistency = ConsistencySectionReader.Read(consistency),
        };
        return new LoadedConfig(settings, warnings);
    }
}
