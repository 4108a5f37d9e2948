using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Passwords;

/// <summary>
/// Where the MySQL password comes from, first match wins:
/// 1. the environment variable OFFLINE_BACKUP_MYSQL_PASSWORD (if set and not empty),
/// 2. mysql.password_file (a file holding only the password),
/// 3. mysql.option_file (password= in the [client] group of a ~/.my.cnf-style file),
/// 4. mysql.password in config.yml (the original tool's way),
/// and no password at all if none is given. Every file named is read and checked even when a
/// higher source wins, so a broken fallback is found now and not on the day it is needed.
/// No message built here ever includes a password.
/// </summary>
internal static class PasswordSources
{
    public static Secret Resolve(ConfigMapping mysql, Func<string, string?> environment, ICollection<string> warnings)
    {
        var inline = mysql.RawText("password");
        var passwordFile = mysql.OptionalPath("password_file", "the path of a file holding only the MySQL password", environment);
        var optionFile = mysql.OptionalPath("option_file", "the path of a MySQL option file with password= in its [client] group", environment);

        if (!string.IsNullOrEmpty(inline))
        {
            FilePermissions.WarnIfReadableByOthers(mysql.File, "contains mysql.password", warnings);
        }

        var fromPasswordFile = FromFile(mysql, "password_file", passwordFile, PasswordFile.Parse, warnings);
        var fromOptionFile = FromFile(mysql, "option_file", optionFile, OptionFilePassword.Parse, warnings);
        var fromEnvironment = environment(ConfigLoader.PasswordVariable);

        var chosen = !string.IsNullOrEmpty(fromEnvironment)
            ? fromEnvironment
            : fromPasswordFile ?? fromOptionFile ?? inline;
        return string.IsNullOrEmpty(chosen) ? Secret.Empty : new Secret(chosen);
    }

    /// <summary>Reads the file named by mysql.<paramref name="key"/>, if any, and parses it; every problem names the key and the path.</summary>
    private static string? FromFile(
        ConfigMapping mysql, string key, string? path, Func<string, Func<string, Exception>, string> parse, ICollection<string> warnings) =>
        path is null
            ? null
            : parse(FilePermissions.ReadSecretFile(mysql, key, path, warnings), problem => mysql.Fail(key, $"{path} {problem}"));
}
