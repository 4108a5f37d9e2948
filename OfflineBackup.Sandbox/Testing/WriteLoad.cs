using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// Load during an online run, as tests and the bench both apply it: a writer inserting rows on
/// the primary one transaction at a time (noting each row's GTID from @@last_gtid), and a reader
/// querying the replica in a loop, timing every query. Stopped by <see cref="StopAsync"/>, which
/// returns what both saw; a failed reader query is recorded, never thrown.
/// </summary>
public sealed class WriteLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<WrittenRow> _written = new();
    private readonly ConcurrentQueue<string> _readerFailures = new();
    private readonly Task _writer;
    private readonly Task _reader;
    private long _longestReadTicks;
    private long _reads;

    private readonly MariaDbReplicationPair _pair;

    private WriteLoad(MariaDbReplicationPair pair, string tag)
    {
        _pair = pair;
        Tag = tag;
        _writer = Task.Run(() => WriteAsync(pair));
        _reader = Task.Run(() => ReadAsync(pair));
    }

    /// <summary>The note prefix of this load's rows: they are told apart from any other rows of the table.</summary>
    public string Tag { get; }

    public static WriteLoad Start(MariaDbReplicationPair pair) =>
        new(pair, "load-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Waits until the writer has committed at least <paramref name="rows"/> rows, the replica has applied them, and the reader has read at least once.</summary>
    public async Task WarmUpAsync(int rows, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (_written.Count < rows || Interlocked.Read(ref _reads) == 0)
        {
            if (clock.Elapsed > limit || _writer.IsCompleted)
            {
                await _writer;
                throw new TimeoutException($"the load did not warm up within {limit}: {_written.Count} rows, {_reads} reads");
            }

            await Task.Delay(10, CancellationToken.None);
        }

        // Written is not yet applied: a run started now must find the replica past the load's
        // first rows, or the snapshot cannot straddle it (on an idle machine the run can be faster
        // than the replica's first apply).
        var applied = _written.ElementAt(rows - 1).Gtid;
        var left = Math.Max(1, (int)(limit - clock.Elapsed).TotalSeconds);
        await using var replica = new MySqlConnection(_pair.Replica.ConnectionString(_pair.Replica.RootUser, _pair.Replica.RootPassword));
        await replica.OpenAsync(CancellationToken.None);
        using var wait = new MySqlCommand($"SELECT MASTER_GTID_WAIT('{applied}', {left.ToString(CultureInfo.InvariantCulture)})", replica) { CommandTimeout = left + 10 };
        if (Convert.ToInt32(await wait.ExecuteScalarAsync(CancellationToken.None), CultureInfo.InvariantCulture) != 0)
        {
            throw new TimeoutException($"the replica did not apply the load's row {rows} ({applied}) within {limit}");
        }
    }

    public async Task<LoadResult> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writer, _reader);
        return new LoadResult([.. _written], TimeSpan.FromTicks(Interlocked.Read(ref _longestReadTicks)), Interlocked.Read(ref _reads), [.. _readerFailures]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task WriteAsync(MariaDbReplicationPair pair)
    {
        await using var connection = new MySqlConnection(pair.Primary.ConnectionString(pair.Primary.RootUser, pair.Primary.RootPassword));
        await connection.OpenAsync(CancellationToken.None);
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            using var command = new MySqlCommand(
                $"INSERT INTO {MariaDbReplicationPair.WritesTable} (note) VALUES ('{Tag}-{i.ToString(CultureInfo.InvariantCulture)}'); "
                + "SELECT LAST_INSERT_ID(), @@last_gtid", connection);
            using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            await reader.ReadAsync(CancellationToken.None);
            _written.Enqueue(new WrittenRow(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1)));
        }
    }

    private async Task ReadAsync(MariaDbReplicationPair pair)
    {
        await using var connection = new MySqlConnection(pair.Replica.ConnectionString(pair.Replica.RootUser, pair.Replica.RootPassword));
        await connection.OpenAsync(CancellationToken.None);
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var command = new MySqlCommand($"SELECT COUNT(*), MAX(id) FROM {MariaDbReplicationPair.WritesTable}", connection);
                await command.ExecuteScalarAsync(CancellationToken.None);
            }
            catch (MySqlException e)
            {
                _readerFailures.Enqueue(e.Message);
            }

            var took = Stopwatch.GetElapsedTime(started).Ticks;
            Interlocked.Increment(ref _reads);
            long longest;
            do
            {
                longest = Interlocked.Read(ref _longestReadTicks);
            }
            while (took > longest && Interlocked.CompareExchange(ref _longestReadTicks, took, longest) != longest);

            await Task.Delay(5, CancellationToken.None);
        }
    }
}

/// <summary>One row the writer committed: its id and its GTID (domain-server-sequence).</summary>
public sealed record WrittenRow(long Id, string Gtid)
{
    public long Sequence => long.Parse(Gtid[(Gtid.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
}

/// <summary>What the load saw: the rows written, the reader's longest single query, how many it made and any that failed.</summary>
public sealed record LoadResult(IReadOnlyList<WrittenRow> Written, TimeSpan LongestRead, long Reads, IReadOnlyList<string> ReaderFailures);
