using MySql.Data.MySqlClient;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>SQL as root over TCP, for setting up and breaking the sandbox on purpose.</summary>
public sealed partial class MariaDbServer
{
    /// <summary>A connection string for any account of this server (no TLS, no pooling).</summary>
    public string ConnectionString(string user, string password)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = Host,
            Port = (uint)Port,
            UserID = user,
            Password = password,
            SslMode = MySqlSslMode.Disabled,
            // A pooled socket would outlive a server the tests stop and start.
            Pooling = false,
            ConnectionTimeout = 5,
            DefaultCommandTimeout = 30,
            AllowUserVariables = true,
        };
        return builder.ConnectionString;
    }

    public Task ExecuteAsync(string sql, CancellationToken cancellationToken) =>
        RunAsRootAsync(
            connection =>
            {
                using var command = new MySqlCommand(sql, connection);
                return command.ExecuteNonQuery();
            },
            cancellationToken);

    public Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken) =>
        RunAsRootAsync(
            connection =>
            {
                using var command = new MySqlCommand(sql, connection);
                var value = command.ExecuteScalar();
                return value is DBNull ? null : value;
            },
            cancellationToken);

    /// <summary>Every row of the last result set, column names as the server spells them.</summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(
        string sql, CancellationToken cancellationToken) =>
        RunAsRootAsync<IReadOnlyList<IReadOnlyDictionary<string, object?>>>(
            connection =>
            {
                using var command = new MySqlCommand(sql, connection);
                using var reader = command.ExecuteReader();
                var rows = new List<IReadOnlyDictionary<string, object?>>();
                while (reader.Read())
                {
                    var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    rows.Add(row);
                }

                return rows;
            },
            cancellationToken);

    /// <summary>
    /// MySql.Data's async methods hang forever on a server that does not answer (a test may
    /// freeze one); its blocking methods honour the timeouts. So the fixture runs blocking
    /// calls on the thread pool: a broken test fails within the timeouts instead of hanging.
    /// </summary>
    internal Task<T> RunAsRootAsync<T>(Func<MySqlConnection, T> work, CancellationToken cancellationToken) =>
        RunAsRootAsync(RootPassword, work, cancellationToken);

    internal Task<T> RunAsRootAsync<T>(string password, Func<MySqlConnection, T> work, CancellationToken cancellationToken) =>
        Task.Run(
                () =>
                {
                    using var connection = new MySqlConnection(ConnectionString(RootUser, password));
                    connection.Open();
                    return work(connection);
                },
                CancellationToken.None)
            .WaitAsync(cancellationToken);
}
