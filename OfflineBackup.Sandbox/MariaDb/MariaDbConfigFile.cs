using System.Globalization;
using System.Text;

namespace OfflineBackup.Sandbox.MariaDb;

public enum MariaDbRole
{
    Primary,
    Replica,
}

/// <summary>
/// The my.cnf of one sandbox server. Everything lives under the server's own directory, the
/// server listens on 127.0.0.1 only, and it is given as <c>--defaults-file</c> (first option) so
/// that /etc/mysql never leaks in. With <paramref name="VolumeDirectory"/> (the mount point of a
/// data volume) the data directory and the relay logs live on that volume, so that a snapshot of
/// it holds everything a restored replica needs; the rest (socket, pid file, error log, tmpdir)
/// stays in the server's directory, as on a host whose data volume is mounted at /var/lib/mysql.
/// </summary>
public sealed record MariaDbConfigFile(
    MariaDbRole Role,
    int ServerId,
    int Port,
    string Directory,
    bool SkipSlaveStart,
    string? VolumeDirectory = null,
    InnoDbSizing? Sizing = null)
{
    public string DataDirectory => Path.Combine(VolumeDirectory ?? Directory, "data");

    public string SocketPath => Path.Combine(Directory, "mysqld.sock");

    public string PidFile => Path.Combine(Directory, "mysqld.pid");

    public string ErrorLog => Path.Combine(Directory, "error.log");

    public string FilePath => Path.Combine(Directory, "my.cnf");

    public string Render()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("[mysqld]");
        if (Environment.UserName == "root")
        {
            // mariadbd refuses to run as root unless told to.
            text.AppendLine("user=root");
        }

        text.AppendLine(inv, $"datadir={DataDirectory}");
        text.AppendLine(inv, $"tmpdir={Directory}");
        text.AppendLine(inv, $"socket={SocketPath}");
        text.AppendLine(inv, $"pid-file={PidFile}");
        text.AppendLine(inv, $"log-error={ErrorLog}");
        text.AppendLine(inv, $"port={Port}");
        text.AppendLine("bind-address=127.0.0.1");
        text.AppendLine("skip-name-resolve");
        text.AppendLine(inv, $"server-id={ServerId}");
        // Small and lax unless asked otherwise: these servers hold a few rows and die with the test run.
        var sizing = Sizing ?? InnoDbSizing.Small;
        text.AppendLine(inv, $"innodb_buffer_pool_size={sizing.BufferPoolSize}");
        text.AppendLine(inv, $"innodb_log_file_size={sizing.LogFileSize}");
        text.AppendLine("innodb_flush_log_at_trx_commit=2");
        foreach (var setting in sizing.Settings)
        {
            text.AppendLine(setting);
        }

        text.AppendLine("performance_schema=OFF");
        text.AppendLine("max_connections=50");
        if (Role == MariaDbRole.Primary)
        {
            text.AppendLine(inv, $"log-bin={Path.Combine(Directory, "binlog")}");
            text.AppendLine("binlog_format=ROW");
            text.AppendLine("sync_binlog=0");
        }
        else
        {
            text.AppendLine("skip-log-bin");
            // On a volume: a relative name, so the relay logs sit in the data directory and a
            // restored copy refers to its own, never to the live replica's.
            text.AppendLine(inv, $"relay-log={(VolumeDirectory is null ? Path.Combine(Directory, "relay-bin") : "relay-bin")}");
            // A replica as a DBA configures one: read-only from the first second after a start.
            text.AppendLine("read_only=1");
            if (SkipSlaveStart)
            {
                text.AppendLine("skip-slave-start");
            }
        }

        return text.ToString();
    }

    public Task WriteAsync(CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(FilePath, Render(), cancellationToken);
}
