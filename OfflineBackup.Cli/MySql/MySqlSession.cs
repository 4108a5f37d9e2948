using MySql.Data.MySqlClient;
using OfflineBackup.Configuration;

namespace OfflineBackup.MySql;

/// <summary>
/// One connection to the replica for one operation. Not pooled: the tool makes a handful of
/// connections per run and must hold no socket to a server it is about to stop.
/// </summary>
internal sealed class MySqlSession : IAsyncDisposable
{
    // STOP REPLICA waits for the SQL thread to finish its transaction; give it room, the
    // caller's CancellationToken bounds it further.
    private const int CommandTimeoutSeconds = 300;

    private readonly MySqlConnection _connection;
    private Task _inFlight = Task.CompletedTask;

    private MySqlSession(MySqlConnection connection, MySqlSettings settings)
    {
        _connection = connection;
        Settings = settings;
    }

    public MySqlSettings Settings { get; }

    public static string ConnectionString(MySqlSettings settings, TimeSpan connectTimeout)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = settings.Host,
            Port = (uint)settings.Port,
            UserID = settings.User,
            Password = settings.Password.Reveal(),
            // Encrypt whenever the server offers TLS; a replica without TLS still answers.
            SslMode = MySqlSslMode.Preferred,
            ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(connectTimeout.TotalSeconds)),
            DefaultCommandTimeout = CommandTimeoutSeconds,
            Pooling = false,
        };
        // No default database: every statement here is server-wide, and a least-privilege
        // monitoring user need not have any grant on the configured schema.
        return builder.ConnectionString;
    }

    /// <summary>Connects, or throws MySql.Data's own exception (for callers that classify it).</summary>
    public static async Task<MySqlSession> OpenRawAsync(
        MySqlSettings settings, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = new MySqlConnection(ConnectionString(settings, connectTimeout));
        var open = Task.Run(connection.Open, CancellationToken.None);
        try
        {
            await open.WaitAsync(cancellationToken);
            return new MySqlSession(connection, settings);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            DisposeWhenDone(open, connection);
            throw;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects, or throws BackupException(ReplicaUnhealthy) naming host:port and user.</summary>
    public static async Task<MySqlSession> OpenAsync(MySqlSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenRawAsync(settings, settings.ConnectTimeout, cancellationToken);
        }
        catch (Exception e) when (MySqlErrors.IsConnectionFailure(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlErrors.ForConnect(e, settings);
        }
    }

    /// <summary>Every row of the result, column names as the server spells them; MySqlException on failure.</summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryRawAsync(
        string sql, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<IReadOnlyDictionary<string, object?>>>(
            () =>
            {
                using var command = new MySqlCommand(sql, _connection);
                using var reader = command.ExecuteReader();
                var rows = new List<IReadOnlyDictionary<string, object?>>();
                while (reader.Read())
                {
                    var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    rows.Add(row);
                }

                return rows;
            },
            cancellationToken);

    /// <summary>The first spelling the server understands (see <see cref="ExecuteFirstUnderstoodRawAsync"/>).</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryFirstUnderstoodRawAsync(
        IReadOnlyList<string> alternatives, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return await QueryRawAsync(alternatives[i], cancellationToken);
            }
            catch (MySqlException e) when (e.Number == MySqlErrors.ParseError && i < alternatives.Count - 1)
            {
                // The server predates this spelling: try the next one.
            }
        }
    }

    public Task ExecuteRawAsync(string sql, CancellationToken cancellationToken) =>
        RunAsync(
            () =>
            {
                using var command = new MySqlCommand(sql, _connection);
                return command.ExecuteNonQuery();
            },
            cancellationToken);

    /// <summary>
    /// Runs the first alternative the server understands: on a parse error (1064) the next
    /// spelling is tried, e.g. STOP SLAVE on a MySQL without STOP REPLICA.
    /// </summary>
    public async Task ExecuteFirstUnderstoodRawAsync(IReadOnlyList<string> alternatives, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await ExecuteRawAsync(alternatives[i], cancellationToken);
                return;
            }
            catch (MySqlException e) when (e.Number == MySqlErrors.ParseError && i < alternatives.Count - 1)
            {
                // The server predates this spelling: try the next one.
            }
        }
    }

    /// <summary>
    /// Runs one blocking driver call on the thread pool and waits for it or for cancellation.
    /// MySql.Data 26.10's async methods ignore both the CancellationToken and the timeouts
    /// while the server does not answer (a frozen server hangs them forever); its blocking
    /// methods honour ConnectionTimeout and DefaultCommandTimeout. So the call is bounded by
    /// the driver's timeouts, and the caller is released at once on cancellation; the
    /// abandoned call ends within its timeout and its connection is disposed then.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<T> blockingCall, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = Task.Run(blockingCall, CancellationToken.None);
        _inFlight = call;
        return await call.WaitAsync(cancellationToken);
    }

    private static void DisposeWhenDone(Task call, MySqlConnection connection) =>
        call.ContinueWith(
            finished =>
            {
                // Observed so that an abandoned call's failure is not reported as unobserved.
                _ = finished.Exception;
                connection.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        if (_inFlight.IsCompleted)
        {
            await _connection.DisposeAsync();
        }
        else
        {
            // A call abandoned on cancellation still uses the connection: not thread-safe.
            DisposeWhenDone(_inFlight, _connection);
        }
    }
}
