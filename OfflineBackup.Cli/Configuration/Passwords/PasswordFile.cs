using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Passwords;

/// <summary>mysql.password_file: a file holding only the password, as written by <c>echo secret &gt; file</c>.</summary>
internal static class PasswordFile
{
    private const string Key = "password_file";

    public static string Read(ConfigMapping mysql, string path, ICollection<string> warnings)
    {
        var text = FilePermissions.ReadSecretFile(mysql, Key, path, warnings);

        var password = text.TrimEnd('\r', '\n');
        if (password.Length == 0)
        {
            throw mysql.Fail(Key, $"{path} is empty; expected the MySQL password on its only line");
        }

        if (password.Contains('\n', StringComparison.Ordinal))
        {
            throw mysql.Fail(Key, $"{path} has more than one line; expected only the MySQL password (one trailing newline is fine)");
        }

        return password;
    }
}
