using OfflineBackup.Errors;

namespace OfflineBackup.Configuration.Yaml;

/// <summary>
/// Every configuration failure reads the same way, so a DBA can jump straight to the spot:
/// <c>config file /etc/offline-backup/config.yml, line 9, key instance.volume_id: expected ..., got ...</c>.
/// </summary>
internal static class ConfigError
{
    private const int MaxShownLength = 60;

    public static ConfigurationException At(string file, long? line, string? key, string problem)
    {
        var where = $"config file {file}";
        if (line is { } number)
        {
            where += $", line {number}";
        }

        if (key is not null)
        {
            where += $", key {key}";
        }

        return new ConfigurationException($"{where}: {problem}");
    }

    /// <summary>
    /// Shows an offending value in a message. Callers never pass a password here: values of
    /// secret keys are described by their kind only.
    /// </summary>
    public static string Show(string value)
    {
        var shown = value.Length > MaxShownLength ? value[..MaxShownLength] + "..." : value;
        return $"\"{shown}\"";
    }
}
