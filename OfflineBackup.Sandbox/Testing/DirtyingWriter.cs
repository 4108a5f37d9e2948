using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// Keeps a server's buffer pool dirty: a scratch table of about 600 pages, and a writer
/// that touches every one of its pages again and again (a few rows per page, so the redo log
/// stays small). Used on the replica itself, outside the binary log (sql_log_bin = 0, so nothing
/// reaches the primary or the GTID positions), to keep a pre-flush from reaching "few left":
/// the real server then flushes for real while a test signals the run. So that one writer
/// outpaces the page cleaner even on a fast disk, the server's flushing is slowed to InnoDB's
/// least (innodb_io_capacity and _max 100 pages a second) while it writes. On dispose the
/// writer stops, the two settings are put back and the table is dropped.
/// </summary>
public sealed class DirtyingWriter : IAsyncDisposable
{
    public const string Table = MariaDbReplicationPair.SandboxDatabase + ".dirtying_writer";

    private const int Rows = 1_800;

    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    private readonly MariaDbServer _server;
    private readonly CancellationTokenSource _stop = new();
    private Task _writer = Task.CompletedTask;
    private long _statements;
    private (long Capacity, long Max)? _ioCapacity;

    private DirtyingWriter(MariaDbServer server) => _server = server;

    /// <summary>How many updates the writer has committed so far.</summary>
    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>Creates the table, starts the writer and waits until the server has at least <paramref name="dirty"/> dirty pages.</summary>
    public static async Task<DirtyingWriter> StartAsync(MariaDbServer server, long dirty, TimeSpan limit)
    {
        var writer = new DirtyingWriter(server);
        await writer.CreateTableAsync();
        await writer.SlowFlushingAsync();
        writer._writer = Task.Run(writer.WriteAsync);
        using var deadline = new CancellationTokenSource(limit);
        while (await writer.DirtyPagesAsync() < dirty)
        {
            if (writer._writer.IsCompleted || deadline.IsCancellationRequested)
            {
                await writer.DisposeAsync();
                throw new TimeoutException($"the writer did not make {dirty} pages dirty within {limit}");
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return writer;
    }

    /// <summary>Innodb_buffer_pool_pages_dirty as the server reports it now.</summary>
    public async Task<long> DirtyPagesAsync()
    {
        await using var connection = await OpenAsync();
        using var command = new MySqlCommand("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'", connection);
        using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        await reader.ReadAsync(CancellationToken.None);
        return long.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
    }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _writer;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (_ioCapacity is { } original)
            {
                // _max first: it may never be below innodb_io_capacity.
                await ExecuteAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"SET GLOBAL innodb_io_capacity_max = {original.Max}; SET GLOBAL innodb_io_capacity = {original.Capacity}"));
            }

            await ExecuteAsync($"SET SESSION sql_log_bin = 0; DROP TABLE IF EXISTS {Table}");
            _stop.Dispose();
        }
    }

    private async Task SlowFlushingAsync()
    {
        await using (var connection = await OpenAsync())
        {
            using var command = new MySqlCommand("SELECT @@GLOBAL.innodb_io_capacity, @@GLOBAL.innodb_io_capacity_max", connection);
            using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            await reader.ReadAsync(CancellationToken.None);
            _ioCapacity = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        }

        await ExecuteAsync("SET GLOBAL innodb_io_capacity = 100; SET GLOBAL innodb_io_capacity_max = 100");
    }

    private Task CreateTableAsync() => ExecuteAsync(
        $"SET SESSION sql_log_bin = 0; SET SESSION max_recursive_iterations = {Rows.ToString(CultureInfo.InvariantCulture)}; DROP TABLE IF EXISTS {Table}; "
        + $"CREATE TABLE {Table} (id INT PRIMARY KEY, touched INT NOT NULL, pad VARCHAR(5000) NOT NULL) ENGINE=InnoDB; "
        + $"INSERT INTO {Table} WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows.ToString(CultureInfo.InvariantCulture)}) "
        + "SELECT i, 0, REPEAT('x', 5000) FROM n");

    private async Task WriteAsync()
    {
        await using var connection = await OpenAsync();
        using (var setup = new MySqlCommand("SET SESSION sql_log_bin = 0", connection))
        {
            await setup.ExecuteNonQueryAsync(CancellationToken.None);
        }

        // Three rows fit a page: every third row is one row on each page, so each update dirties
        // about 600 pages while writing little redo (a small redo log would force a checkpoint
        // flush that cleans the pages faster than the writer dirties them).
        using var update = new MySqlCommand($"UPDATE {Table} SET touched = touched + 1 WHERE id % 3 = 0", connection);
        while (!_stop.IsCancellationRequested)
        {
            await update.ExecuteNonQueryAsync(CancellationToken.None);
            Interlocked.Increment(ref _statements);

            // Paced, not flat out: the redo log of a test server is 8 MiB, and filling it forces
            // a checkpoint that flushes every page at any speed. Ten updates a second dirty
            // 6000 pages a second against a cleaner allowed 100.
            await Task.Delay(Pace, CancellationToken.None);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task<MySqlConnection> OpenAsync()
    {
        var connection = new MySqlConnection(_server.ConnectionString(_server.RootUser, _server.RootPassword));
        await connection.OpenAsync(CancellationToken.None);
        return connection;
    }
}
