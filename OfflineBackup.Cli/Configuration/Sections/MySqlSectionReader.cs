using OfflineBackup.Configuration.Passwords;
using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The <c>mysql:</c> section: the original tool's keys plus where else the password may come from.</summary>
internal static class MySqlSectionReader
{
    public static MySqlSettings Read(ConfigMapping mysql, Func<string, string?> environment, ICollection<string> warnings)
    {
        var host = mysql.Text("host", "localhost", "a host name or IP address");
        var user = mysql.RequiredText("user", "the MySQL user the tool connects as, e.g. monitor");
        var port = mysql.Int("port", 3306, 1, 65535, "a TCP port number from 1 to 65535");
        // The original file writes db: '' (no default database), so empty is allowed here.
        var db = mysql.RawText("db") ?? string.Empty;
        var connectTimeout = mysql.Int("connect_timeout_seconds", 10, 1, 3600, "a whole number of seconds from 1 to 3600");
        var password = PasswordSources.Resolve(mysql, environment, warnings);
        return new MySqlSettings(host, user, port, password, db, TimeSpan.FromSeconds(connectTimeout));
    }
}
