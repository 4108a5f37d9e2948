using System.Security.Cryptography;
using System.Text;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// A freshly installed data directory, made once per MariaDB version and machine and copied for
/// every server: mariadb-install-db takes seconds on a busy machine, a copy takes milliseconds.
/// It is built in a private directory and renamed into place, so a concurrent test run either
/// sees a complete template or none; the loser of a race throws its own copy away.
/// </summary>
internal static class MariaDbTemplate
{
    // Bump when the install options or the data-relevant settings of MariaDbConfigFile change.
    private const string Layout = "1";

    public static async Task<string> GetDataDirectoryAsync(CancellationToken cancellationToken)
    {
        var version = await ChildProcess.RunAsync("mariadbd", ["--version"], cancellationToken);
        if (!version.Succeeded)
        {
            throw new InvalidOperationException($"mariadbd --version failed: {version.StandardError}");
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Layout + version.StandardOutput)))[..16];
        var final = Path.Combine(Path.GetTempPath(), $"offline-backup-mariadb.template-{key}");
        if (Directory.Exists(final))
        {
            return Path.Combine(final, "data");
        }

        var building = Path.Combine(Path.GetTempPath(), $"offline-backup-mariadb.building-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(building, "data"));
            var config = new MariaDbConfigFile(MariaDbRole.Replica, 1, 0, building, SkipSlaveStart: false);
            await config.WriteAsync(cancellationToken);
            var result = await ChildProcess.RunAsync(
                "mariadb-install-db",
                [
                    $"--defaults-file={config.FilePath}",
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                    "--skip-name-resolve",
                ],
                cancellationToken);
            if (!result.Succeeded)
            {
                var log = File.Exists(config.ErrorLog) ? await File.ReadAllTextAsync(config.ErrorLog, cancellationToken) : "";
                throw new InvalidOperationException(
                    $"mariadb-install-db failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}\n{log}");
            }

            try
            {
                Directory.Move(building, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another test run finished its template first; use that one.
            }
        }
        finally
        {
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }
        }

        return Path.Combine(final, "data");
    }

    public static void CopyTo(string template, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(template))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var directory in Directory.EnumerateDirectories(template))
        {
            CopyTo(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
