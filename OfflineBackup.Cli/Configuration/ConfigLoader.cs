namespace OfflineBackup.Configuration;

/// <summary>What loading produced: the settings and warnings for the operator (e.g. a password file readable by others).</summary>
public sealed record LoadedConfig(Settings Settings, IReadOnlyList<string> Warnings);

/// <summary>Reads and validates config.yml. Every failure is a ConfigurationException (exit 2).</summary>
public static class ConfigLoader
{
    public const string DefaultPath = "/etc/offline-backup/config.yml";
    public const string PathVariable = "OFFLINE_BACKUP_CONFIG";
    public const string PasswordVariable = "OFFLINE_BACKUP_MYSQL_PASSWORD";

    public static LoadedConfig Load(string path, Func<string, string?> environment)
    {
        throw new NotImplementedException($"config loading is not written yet ({path}, {environment})");
    }
}
