namespace OfflineBackup.Configuration.Passwords;

/// <summary>Warns when a file holding the password can be read by users other than its owner.</summary>
internal static class FilePermissions
{
    private const UnixFileMode Shared = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

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
