using System.Diagnostics;
using System.Globalization;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Putting the pair into the states the tool must recognise (lag, stopped threads, a
/// replication error, a writable server) and back to healthy. All of it is done with real
/// statements on the real servers; nothing is faked.
/// </summary>
public sealed partial class MariaDbReplicationPair
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);
    private readonly List<long> _conflictingIds = [];
    private long _nextConflictId = 1;

    /// <summary>SHOW SLAVE STATUS of the replica's default connection, as root; null if not a replica.</summary>
    public async Task<IReadOnlyDictionary<string, object?>?> ReplicaStatusAsync(CancellationToken cancellationToken)
    {
        var rows = await Replica.QueryAsync("SHOW SLAVE STATUS", cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<string> PrimaryGtidPositionAsync(CancellationToken cancellationToken) =>
        (string?)await Primary.ScalarAsync("SELECT @@gtid_binlog_pos", cancellationToken) ?? string.Empty;

    /// <summary>Waits until the replica has applied everything the primary has written so far.</summary>
    public async Task WaitForReplicaCaughtUpAsync(CancellationToken cancellationToken)
    {
        var position = await PrimaryGtidPositionAsync(cancellationToken);
        var waited = await Replica.ScalarAsync(
            string.Create(CultureInfo.InvariantCulture,
                $"SELECT MASTER_GTID_WAIT('{position}', {DefaultWait.TotalSeconds})"),
            cancellationToken);
        if (Convert.ToInt32(waited, CultureInfo.InvariantCulture) != 0)
        {
            var status = await ReplicaStatusAsync(cancellationToken);
            throw new TimeoutException(
                $"replica did not reach GTID {position} within {DefaultWait}: " + Describe(status));
        }
    }

    /// <summary>Inserts a row on the primary and returns its id.</summary>
    public async Task<long> WriteOnPrimaryAsync(string note, CancellationToken cancellationToken)
    {
        var id = await Primary.ScalarAsync(
            $"INSERT INTO {WritesTable} (note) VALUES ('{note.Replace("'", "''", StringComparison.Ordinal)}'); SELECT LAST_INSERT_ID();",
            cancellationToken);
        return Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }

    public async Task<bool> ReplicaHasRowAsync(long id, CancellationToken cancellationToken) =>
        await Replica.ScalarAsync(
            string.Create(CultureInfo.InvariantCulture, $"SELECT COUNT(*) FROM {WritesTable} WHERE id = {id}"),
            cancellationToken) is { } count && Convert.ToInt64(count, CultureInfo.InvariantCulture) == 1;

    /// <summary>
    /// Real replication lag of at least <paramref name="lag"/>: the replica is told to apply
    /// events only a day after they were written (MASTER_DELAY), then the primary writes a row
    /// stamped <paramref name="lag"/> in the past (SET TIMESTAMP). The SQL thread waits on that
    /// event and Seconds_Behind_Master reports its age. Returns the lag the replica reports.
    /// </summary>
    public async Task<long> MakeLagAsync(TimeSpan lag, CancellationToken cancellationToken)
    {
        var seconds = (long)lag.TotalSeconds;
        var delay = seconds + (long)TimeSpan.FromDays(1).TotalSeconds;
        // MASTER_DELAY cannot change while replication runs.
        await Replica.ExecuteAsync(
            string.Create(CultureInfo.InvariantCulture, $"STOP SLAVE; CHANGE MASTER TO MASTER_DELAY={delay}; START SLAVE;"),
            cancellationToken);
        await Primary.ExecuteAsync(
            string.Create(CultureInfo.InvariantCulture,
                $"SET TIMESTAMP=UNIX_TIMESTAMP()-{seconds}; INSERT INTO {WritesTable} (note) VALUES ('lagging'); SET TIMESTAMP=DEFAULT;"),
            cancellationToken);
        var status = await WaitForStatusAsync(
            status => SecondsBehind(status) >= seconds, $"Seconds_Behind_Master >= {seconds}", cancellationToken);
        return SecondsBehind(status)!.Value;
    }

    public Task StopReplicaSqlThreadAsync(CancellationToken cancellationToken) =>
        Replica.ExecuteAsync("STOP SLAVE SQL_THREAD", cancellationToken);

    public Task StopReplicaIoThreadAsync(CancellationToken cancellationToken) =>
        Replica.ExecuteAsync("STOP SLAVE IO_THREAD", cancellationToken);

    /// <summary>
    /// Breaks the SQL thread the way production breaks it: a row that exists on the replica
    /// only, then the same key written on the primary (error 1062). Returns Last_SQL_Error.
    /// </summary>
    public async Task<string> CauseReplicaSqlErrorAsync(CancellationToken cancellationToken)
    {
        var id = _nextConflictId++;
        _conflictingIds.Add(id);
        // A table of its own, so the keys never meet the auto-increment ids of the writes table.
        var insert = string.Create(CultureInfo.InvariantCulture, $"INSERT INTO {ConflictsTable} (id) VALUES ({id})");
        // root bypasses read_only on the replica, as a careless DBA would.
        await Replica.ExecuteAsync(insert, cancellationToken);
        await Primary.ExecuteAsync(insert, cancellationToken);
        var status = await WaitForStatusAsync(
            status => status is not null && (string?)status["Slave_SQL_Running"] == "No"
                      && (string?)status["Last_SQL_Error"] is { Length: > 0 },
            "the SQL thread to stop on an error", cancellationToken);
        return (string)status!["Last_SQL_Error"]!;
    }

    /// <summary>
    /// SIGSTOP the replica: the kernel still accepts TCP connections on its port but the server
    /// answers nothing, like a hung server. <see cref="ThawReplicaAsync"/> or a reset undoes it.
    /// </summary>
    public Task FreezeReplicaAsync(CancellationToken cancellationToken) =>
        SignalAsync(Replica, "STOP", cancellationToken);

    public Task ThawReplicaAsync(CancellationToken cancellationToken) =>
        SignalAsync(Replica, "CONT", cancellationToken);

    public Task SetReadOnlyAsync(MariaDbServer server, bool readOnly, CancellationToken cancellationToken) =>
        server.ExecuteAsync($"SET GLOBAL read_only={(readOnly ? 1 : 0)}", cancellationToken);

    /// <summary>
    /// Undoes whatever a test did: both servers up, the replica read-only, no delay, conflicts
    /// removed, replication running and caught up, skip-slave-start as the pair was built.
    /// Call it at the start of every test that shares the pair.
    /// </summary>
    public async Task ResetToHealthyAsync(CancellationToken cancellationToken)
    {
        foreach (var server in new[] { Primary, Replica })
        {
            if (server.ReadPid() is not null)
            {
                await SignalAsync(server, "CONT", cancellationToken);
            }

            if (!await server.IsUpAsync(cancellationToken))
            {
                await server.StartAsync(cancellationToken);
            }
        }

        if (Replica.SkipSlaveStart != _options.ReplicaSkipSlaveStart)
        {
            await SetReplicaSkipSlaveStartAsync(_options.ReplicaSkipSlaveStart, cancellationToken);
        }

        await SetReadOnlyAsync(Primary, false, cancellationToken);
        var repair = "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=0; ";
        if (_conflictingIds.Count > 0)
        {
            repair += $"DELETE FROM {ConflictsTable} WHERE id IN ({string.Join(',', _conflictingIds)}); ";
        }

        await Replica.ExecuteAsync(repair + "SET GLOBAL read_only=1; START SLAVE;", cancellationToken);
        await WaitForReplicaCaughtUpAsync(cancellationToken);

        // Caught up says only that the SQL thread applied everything; the IO thread may still be
        // connecting (slowly, on a loaded machine), and a replica guard would call that broken.
        await WaitForStatusAsync(
            status => status is not null && Equals(status["Slave_IO_Running"], "Yes") && Equals(status["Slave_SQL_Running"], "Yes"),
            "both replication threads running",
            cancellationToken);
        _conflictingIds.Clear();
    }

    private static async Task SignalAsync(MariaDbServer server, string signal, CancellationToken cancellationToken)
    {
        var pid = server.ReadPid() ?? throw new InvalidOperationException($"{server.Name} is not running");
        var result = await ChildProcess.RunAsync(
            "kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {result.StandardError}");
        }
    }

    private static long? SecondsBehind(IReadOnlyDictionary<string, object?>? status) =>
        status?["Seconds_Behind_Master"] is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    private static string Describe(IReadOnlyDictionary<string, object?>? status) =>
        status is null
            ? "not a replica"
            : $"IO {status["Slave_IO_Running"]}, SQL {status["Slave_SQL_Running"]}, behind {status["Seconds_Behind_Master"] ?? "NULL"}, " +
              $"IO error '{status["Last_IO_Error"]}', SQL error '{status["Last_SQL_Error"]}'";

    private async Task<IReadOnlyDictionary<string, object?>?> WaitForStatusAsync(
        Func<IReadOnlyDictionary<string, object?>?, bool> done, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await ReplicaStatusAsync(cancellationToken);
            if (done(status))
            {
                return status;
            }

            if (clock.Elapsed > DefaultWait)
            {
                throw new TimeoutException($"waited {DefaultWait} for {what}: " + Describe(status));
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
