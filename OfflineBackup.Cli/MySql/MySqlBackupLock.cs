using System.Globalization;
using MySql.Data.MySqlClient;
using NLog;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.Text;

namespace OfflineBackup.MySql;

/// <summary>
/// The block on commits: one session (the holder) runs the lock statements and holds them; a
/// second session (the watchdog), opened before anything is asked, ends the holder with KILL
/// CONNECTION when the lock is not granted in time or held past its limit. Killing the tool's own
/// connection needs no privilege, and ending the session releases whatever it held or waited for.
/// The server releases it too should this process die: the session closes with it.
/// </summary>
internal sealed class MySqlBackupLock : IBackupLock
{
    private const int LockWaitTimeout = 1205;
    private const int UnknownThread = 1094;
    private static readonly TimeSpan SideCallLimit = TimeSpan.FromSeconds(5);

    // The run gives CreateSnapshot max_block_seconds from the grant and then releases; the
    // watchdog ends the session only if that release has not come a little later.
    private static readonly TimeSpan HoldGrace = TimeSpan.FromSeconds(2);
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly MySqlSettings _settings;
    private readonly MySqlSession _holder;
    private readonly MySqlSession _watchdog;
    private readonly long _holderId;
    private readonly BackupLockStatements _statements;
    private readonly ServerFlavor _flavor;
    private readonly CancellationTokenSource _stopWatch = new();
    private readonly Task _watch;
    private bool _released;

    private MySqlBackupLock(
        MySqlSettings settings, MySqlSession holder, MySqlSession watchdog, long holderId, ServerFlavor flavor, BackupLockStatements statements, TimeSpan limit, TimeProvider clock)
    {
        (_settings, _holder, _watchdog, _holderId, _flavor, _statements) = (settings, holder, watchdog, holderId, flavor, statements);
        _watch = WatchAsync(limit, clock);
    }

    public string Method => _statements.Method;

    public bool ReleasedByWatchdog { get; private set; }

    public static async Task<IBackupLock> AcquireAsync(MySqlSettings settings, TimeSpan maxBlock, TimeProvider clock, CancellationToken cancellationToken)
    {
        var holder = await MySqlSession.OpenAsync(settings, cancellationToken);
        MySqlSession? watchdog = null;
        var flavor = new ServerFlavor(true, new Version(0, 0));
        try
        {
            watchdog = await MySqlSession.OpenAsync(settings, cancellationToken);
            var row = (await holder.QueryRawAsync("SELECT CONNECTION_ID() AS id, VERSION() AS version", cancellationToken))[0];
            var id = Convert.ToInt64(row["id"], CultureInfo.InvariantCulture);
            flavor = ServerFlavor.Parse(MySqlOnlineReplica.Text(row["version"]) ?? string.Empty);
            var statements = BackupLockStatements.For(flavor, maxBlock);
            await holder.ExecuteRawAsync(statements.SessionSetup, cancellationToken);

            var asked = clock.GetTimestamp();
            var acquire = AcquireStatementsAsync(holder, statements);
            using var limit = new CancellationTokenSource(maxBlock, clock);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
            try
            {
                await acquire.WaitAsync(either.Token);
            }
            catch (Exception e) when (e is OperationCanceledException || e is MySqlException { Number: LockWaitTimeout })
            {
                // Named before the kill, while the statement in the way still shows.
                var blocker = await DescribeBlockerAsync(settings, watchdog, id);
                await KillAsync(watchdog, id);
                Log.WithProperty("step", "lock").Warn(
                    "gave up waiting for {method} after {ms} ms: {blocker}", statements.Method, (long)clock.GetElapsedTime(asked).TotalMilliseconds, blocker);
                await SettleAsync(acquire);
                cancellationToken.ThrowIfCancellationRequested();
                throw new BackupException(
                    ExitCodes.StopTimedOut,
                    $"{statements.Method} was not granted within consistency.max_block_seconds ({Durations.Human(maxBlock)}): {blocker}. "
                    + "The tool's waiting statement was killed, so nothing is blocked; no snapshot was taken");
            }

            Log.WithProperty("step", "lock").Info("{method} granted (connection {id})", statements.Method, id);
            return new MySqlBackupLock(settings, holder, watchdog, id, flavor, statements, maxBlock + HoldGrace, clock);
        }
        catch (MySqlException e)
        {
            await DisposeBothAsync(holder, watchdog);
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlOnlineReplica.Failure(settings, e, "blocking commits for the online snapshot", flavor);
        }
        catch
        {
            await DisposeBothAsync(holder, watchdog);
            throw;
        }
    }

    public async Task<RecordedPosition> ReadPositionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var gtid = MySqlOnlineReplica.Text((await _holder.QueryRawAsync(_statements.PositionQuery, cancellationToken))[0]["gtid"]);
            var compact = string.Concat((gtid ?? string.Empty).Where(c => !char.IsWhiteSpace(c)));
            var rows = _flavor.IsMariaDb
                ? await _holder.QueryRawAsync("SHOW ALL SLAVES STATUS", cancellationToken)
                : await _holder.QueryFirstUnderstoodRawAsync(["SHOW REPLICA STATUS", "SHOW SLAVE STATUS"], cancellationToken);
            var row = rows.FirstOrDefault(r => string.IsNullOrEmpty(Column(r, "Connection_name"))) ?? rows.FirstOrDefault();
            var source = row is null ? null : Column(row, "Source_Host") ?? Column(row, "Master_Host");
            if (compact.Length > 0)
            {
                return new RecordedPosition("gtid:" + compact, source);
            }

            var file = row is null ? null : Column(row, "Relay_Source_Log_File") ?? Column(row, "Relay_Master_Log_File");
            var position = row is null ? null : Column(row, "Exec_Source_Log_Pos") ?? Column(row, "Exec_Master_Log_Pos");
            return file is { Length: > 0 } && position is { Length: > 0 }
                ? new RecordedPosition($"file:{file}:{position}", source)
                : throw new BackupException(ExitCodes.ReplicaUnhealthy, $"MySQL at {MySqlErrors.Target(_settings)} reports neither a GTID position nor a source log position");
        }
        catch (Exception e) when (MySqlErrors.IsConnectionFailure(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlErrors.ForStatement(e, _settings, "reading the replication position under the backup lock");
        }
    }

    private static string? Column(IReadOnlyDictionary<string, object?> row, string name) =>
        row.TryGetValue(name, out var value) ? MySqlOnlineReplica.Text(value) : null;

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await StopWatchAsync();
        if (_released || ReleasedByWatchdog)
        {
            _released = true;
            return;
        }

        try
        {
            foreach (var statement in _statements.Release)
            {
                await _holder.ExecuteRawAsync(statement, cancellationToken);
            }

            Log.WithProperty("step", "lock").Info("{method} released", _statements.Method);
        }
        catch (Exception e) when (e is OperationCanceledException || MySqlErrors.IsConnectionFailure(e))
        {
            Log.WithProperty("step", "lock").Warn("releasing {method} failed ({error}); ending its session instead", _statements.Method, e.Message);
            await KillAsync(_watchdog, _holderId);
        }

        _released = true;
    }

    public async ValueTask DisposeAsync()
    {
        await StopWatchAsync();
        if (!_released && !ReleasedByWatchdog)
        {
            await KillAsync(_watchdog, _holderId);
        }

        await DisposeBothAsync(_holder, _watchdog);
        _stopWatch.Dispose();
    }

    private async Task WatchAsync(TimeSpan limit, TimeProvider clock)
    {
        try
        {
            await Task.Delay(limit, clock, _stopWatch.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        ReleasedByWatchdog = true;
        Log.WithProperty("step", "lock").Error("{method} held past consistency.max_block_seconds: the watchdog ends its session", _statements.Method);
        await KillAsync(_watchdog, _holderId);
    }

    private async Task StopWatchAsync()
    {
        await _stopWatch.CancelAsync();
        await _watch;
    }

    private static async Task AcquireStatementsAsync(MySqlSession holder, BackupLockStatements statements)
    {
        foreach (var statement in statements.Acquire)
        {
            // Not cancellable from here on purpose: only the watchdog's KILL ends a lock wait, so
            // the server never keeps waiting for a caller that is gone.
            await holder.ExecuteRawAsync(statement, CancellationToken.None);
        }
    }

    private static async Task KillAsync(MySqlSession watchdog, long id)
    {
        using var limit = new CancellationTokenSource(SideCallLimit);
        try
        {
            await watchdog.ExecuteRawAsync(string.Create(CultureInfo.InvariantCulture, $"KILL CONNECTION {id}"), limit.Token);
        }
        catch (MySqlException e) when (e.Number == UnknownThread)
        {
            // Already gone: nothing is held.
        }
        catch (Exception e) when (e is OperationCanceledException || MySqlErrors.IsConnectionFailure(e))
        {
            Log.WithProperty("step", "lock").Error("the watchdog could not kill connection {id}: {error}", id, e.Message);
        }
    }

    private static async Task SettleAsync(Task acquire)
    {
        try
        {
            await acquire.WaitAsync(SideCallLimit);
        }
        catch (Exception e) when (e is TimeoutException || MySqlErrors.IsConnectionFailure(e))
        {
            // The killed statement's error, expected.
        }
    }

    private static async Task DisposeBothAsync(MySqlSession holder, MySqlSession? watchdog)
    {
        await holder.DisposeAsync();
        if (watchdog is not null)
        {
            await watchdog.DisposeAsync();
        }
    }

    private static async Task<string> DescribeBlockerAsync(MySqlSettings settings, MySqlSession watchdog, long holderId)
    {
        using var limit = new CancellationTokenSource(SideCallLimit);
        try
        {
            var rows = await watchdog.QueryRawAsync(
                "SELECT ID, USER, HOST, COMMAND, TIME, STATE, LEFT(INFO, 200) AS INFO FROM information_schema.PROCESSLIST "
                + "WHERE ID <> CONNECTION_ID() ORDER BY TIME DESC", limit.Token);
            return BlockerText.Describe(rows.Select(r => new ProcessRow(
                Convert.ToInt64(r["ID"], CultureInfo.InvariantCulture),
                MySqlOnlineReplica.Text(r["USER"]) ?? string.Empty,
                MySqlOnlineReplica.Text(r["HOST"]) ?? string.Empty,
                MySqlOnlineReplica.Text(r["COMMAND"]) ?? string.Empty,
                Convert.ToInt64(r["TIME"] ?? 0L, CultureInfo.InvariantCulture),
                MySqlOnlineReplica.Text(r["STATE"]),
                MySqlOnlineReplica.Text(r["INFO"]))).ToList(), holderId, settings.Password.Reveal());
        }
        catch (Exception e) when (e is OperationCanceledException || MySqlErrors.IsConnectionFailure(e))
        {
            return $"the processlist could not be read ({MySqlErrors.Safe(e, settings.Password)})";
        }
    }
}
