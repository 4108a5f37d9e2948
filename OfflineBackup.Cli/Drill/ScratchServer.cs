using System.Diagnostics;
using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.Platform;

namespace OfflineBackup.Drill;

/// <summary>
/// The drill's throwaway server on the restored copy. Everything of its own lives in the scratch
/// directory (socket, pid file, error log, tmpdir). It listens on no TCP port at all
/// (skip-networking), so the production server's port is never involved; the socket sits in a
/// root-only directory. The copy's accounts are production's and the tool's monitoring login may
/// not read tables, so an init file makes a drill-only account with a random password on the
/// copy (never on production: the copy is deleted after the drill). Replication off, no binary
/// log, another server_id, a small buffer pool.
/// </summary>
public sealed class ScratchServer
{
    public const long ThrowawayServerId = 4_000_000_001;
    private static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(5);

    private const string DrillUser = "offline_backup_drill";

    private readonly Process _process;
    private readonly string _password;

    private ScratchServer(Process process, ScratchLayout layout, string password)
    {
        _process = process;
        Layout = layout;
        _password = password;
    }

    public ScratchLayout Layout { get; }

    public int Pid => _process.Id;

    public static ScratchServer Start(DrillSettings settings, ScratchLayout layout, string dataDirectory)
    {
        Directory.CreateDirectory(layout.TemporaryDirectory);
        File.Delete(layout.ErrorLog);
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(layout.InitFile, string.Empty);
        File.SetUnixFileMode(layout.InitFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(layout.InitFile,
            $"DROP USER IF EXISTS '{DrillUser}'@'localhost';\n"
            + $"CREATE USER '{DrillUser}'@'localhost' IDENTIFIED BY '{password}';\n"
            + $"GRANT ALL PRIVILEGES ON *.* TO '{DrillUser}'@'localhost';\n");
        string[] arguments =
        [
            "--no-defaults",
            .. Environment.UserName == "root" ? new[] { "--user=root" } : [],
            $"--datadir={dataDirectory}",
            $"--socket={layout.Socket}",
            $"--pid-file={layout.PidFile}",
            $"--log-error={layout.ErrorLog}",
            $"--tmpdir={layout.TemporaryDirectory}",
            "--skip-networking",
            $"--init-file={layout.InitFile}",
            string.Create(CultureInfo.InvariantCulture, $"--server-id={ThrowawayServerId}"),
            "--skip-slave-start",
            "--skip-log-bin",
            $"--innodb-buffer-pool-size={settings.BufferPoolSize}",
            "--performance-schema=OFF",
            "--max-connections=10",
        ];

        // Through sh only to point its standard streams at /dev/null: a server outliving this
        // process must not hold our pipes. exec keeps the pid: the pid we record is the server's.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1");
        start.ArgumentList.Add(settings.MysqldBinary);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new BackupException(ExitCodes.DrillFailed, $"{settings.MysqldBinary} did not start");
        return new ScratchServer(process, layout, password);
    }

    /// <summary>Waits until the server answers a query; returns how long that took (the restore time).</summary>
    public async Task<TimeSpan> WaitUntilAnsweringAsync(TimeProvider clock, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        string? lastRefusal = null;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new BackupException(ExitCodes.DrillFailed,
                    $"the throwaway server exited ({_process.ExitCode}) before it answered: {ErrorLogTail()}");
            }

            if (File.Exists(Layout.Socket))
            {
                try
                {
                    await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                    return clock.GetElapsedTime(started);
                }
                catch (MySqlException e)
                {
                    // Still in recovery: try again.
                    lastRefusal = e.InnerException is { } inner ? $"{e.Message}: {inner.Message}" : e.Message;
                }
            }

            if (clock.GetElapsedTime(started) >= timeout)
            {
                throw new BackupException(ExitCodes.DrillFailed,
                    $"the throwaway server did not answer within {timeout.TotalSeconds:0} s{(lastRefusal is null ? "" : $" (last refusal: {lastRefusal})")}: {ErrorLogTail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = Layout.Socket,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = DrillUser,
            Password = _password,
            Pooling = false,
            ConnectionTimeout = 5,
            DefaultCommandTimeout = 3600,
            SslMode = MySqlSslMode.Disabled,
        }.ConnectionString);
        try
        {
            // MySql.Data's OpenAsync does not reach a Unix socket; the synchronous Open does.
            await Task.Run(connection.Open, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Until disposed, a cancelled <paramref name="cancellationToken"/> ends the statement running
    /// on <paramref name="connection"/> with KILL QUERY from a connection of its own: MySql.Data
    /// does not stop a running statement when its token is cancelled, and a CHECK TABLE of a big
    /// table would otherwise hold a signalled drill for as long as it takes.
    /// </summary>
    public IDisposable InterruptOnCancel(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var thread = connection.ServerThread;
        return cancellationToken.Register(() => _ = KillQueryAsync(thread));
    }

    private async Task KillQueryAsync(int thread)
    {
        try
        {
            await using var killer = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using var kill = new MySqlCommand(string.Create(CultureInfo.InvariantCulture, $"KILL QUERY {thread}"), killer);
            await kill.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (MySqlException e)
        {
            // The server may be going already; the clean-up stops it in any case.
            NLog.LogManager.GetCurrentClassLogger().Warn("KILL QUERY {thread} on the throwaway server failed: {message}", thread, e.Message);
        }
    }

    /// <summary>SIGTERM (a clean shutdown), then SIGKILL after the limit; never throws for a server already gone.</summary>
    public async Task StopAsync(TimeProvider clock)
    {
        if (!_process.HasExited)
        {
            _ = LibC.Kill(_process.Id, LibC.SigTerm);
            using var limit = new CancellationTokenSource(StopLimit, clock);
            try
            {
                await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        _process.Dispose();
        File.Delete(Layout.InitFile);
    }

    /// <summary>
    /// A server left by a SIGKILLed drill: ended only if its command line names our socket, so a
    /// pid reused by another process is never signalled. Returns whether one was ended.
    /// </summary>
    public static async Task<bool> StopLeftoverAsync(int pid, string socket, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!IsOurs(pid, socket))
        {
            return false;
        }

        _ = LibC.Kill(pid, LibC.SigTerm);
        var signalled = clock.GetTimestamp();
        while (LibC.ProcessExists(pid) && clock.GetElapsedTime(signalled) < StopLimit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken).ConfigureAwait(false);
        }

        if (LibC.ProcessExists(pid))
        {
            _ = LibC.Kill(pid, LibC.SigKill);
        }

        return true;
    }

    private static bool IsOurs(int pid, string socket)
    {
        try
        {
            return LibC.ProcessExists(pid)
                && File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains($"--socket={socket}", StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string ErrorLogTail()
    {
        try
        {
            var lines = File.ReadAllLines(Layout.ErrorLog);
            var errors = lines.Where(l => l.Contains("[ERROR]", StringComparison.Ordinal)).TakeLast(3).ToList();
            return errors.Count > 0 ? string.Join(" | ", errors) : $"see {Layout.ErrorLog}";
        }
        catch (IOException)
        {
            return $"no error log at {Layout.ErrorLog}";
        }
    }
}

/// <summary>Where a drill keeps its things, all inside the scratch directory.</summary>
public sealed record ScratchLayout(string Directory)
{
    public string MountPoint => Path.Combine(Directory, "mnt");

    public string Socket => Path.Combine(Directory, "mysqld.sock");

    public string PidFile => Path.Combine(Directory, "mysqld.pid");

    public string ErrorLog => Path.Combine(Directory, "mysqld.err");

    public string TemporaryDirectory => Path.Combine(Directory, "tmp");

    public string InitFile => Path.Combine(Directory, "init.sql");

    public string JournalPath => Path.Combine(Directory, "drill.json");
}
