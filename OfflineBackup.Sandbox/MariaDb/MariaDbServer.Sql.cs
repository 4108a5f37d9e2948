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

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenRootAsync(RootPassword, cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenRootAsync(RootPassword, cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>Every row of the last result set, column names as the server spells them.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(
        string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenRootAsync(RootPassword, cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Root with the given password; the empty one right after mariadb-install-db.</summary>
    internal async Task<MySqlConnection> OpenRootAsync(string password, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(ConnectionString(RootUser, password));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
