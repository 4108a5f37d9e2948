using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Passwords;

/// <summary>Warns when a file holding the password can be read by users other than its owner.</summary>
internal static class FilePermissions
{
    private const UnixFileMode Shared = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Reads a file named by mysql.<paramref name="key"/> that holds the password, warning when
    /// others can read it; a file that cannot be read fails that key.
    /// </summary>
    public static string ReadSecretFile(ConfigMapping mysql, string key, string path, ICollection<string> warnings)
    {
        var text = TextFileReader.Read(path, problem => mysql.Fail(key, $"{path} {problem}"));
        WarnIfReadableByOthers(path, $"(mysql.{key}) holds the MySQL password", warnings);
        return text;
    }

    /// <param name="holds">Completes "{path} ...", e.g. "contains mysql.password".</param>
    public static void WarnIfReadableByOthers(string path, string holds, ICollection<string> warnings)
    {
        // Windows has ACLs, not modes; the tool runs on Linux, the check simply does not apply there.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & Shared) == 0)
        {
            return;
        }

        var readers = (mode & Shared) == Shared ? "its group and all users"
            : (mode & UnixFileMode.GroupRead) != 0 ? "its group" : "all users";
        var octal = Convert.ToString((int)mode, 8).PadLeft(4, '0');
        warnings.Add($"{path} {holds} and is readable by {readers} (mode {octal}); run: chmod 600 {path}");
    }
}
