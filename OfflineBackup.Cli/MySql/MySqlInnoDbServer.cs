using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;

namespace OfflineBackup.MySql;

/// <summary>
/// <see cref="IInnoDbServer"/> over MySql.Data, for MySQL 5.7/8.x and MariaDB 10.x; one
/// unpooled connection per call, like <see cref="MySqlReplicaServer"/>.
/// </summary>
public sealed class MySqlInnoDbServer(MySqlSettings settings) : IInnoDbServer
{
    /// <summary>SET GLOBAL of these variables needs SUPER on MariaDB and MySQL 5.7 (SYSTEM_VARIABLES_ADMIN on MySQL 8 also does).</summary>
    public const string SetPrivilege = "SUPER";

    private const string Variables =
        "SELECT @@GLOBAL.innodb_max_dirty_pages_pct AS pct, @@GLOBAL.innodb_max_dirty_pages_pct_lwm AS lwm, "
        + "@@GLOBAL.innodb_fast_shutdown AS fast, @@GLOBAL.innodb_buffer_pool_dump_at_shutdown AS dump, "
        + "@@GLOBAL.log_error AS log_error, @@GLOBAL.datadir AS datadir";

    private const string StatusQuery =
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total', 'Uptime')";

    public async Task<InnoDbState> ReadAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        var row = (await RunAsync(session, "reading the InnoDB settings", null, () => session.QueryRawAsync(Variables, cancellationToken), cancellationToken))[0];
        var status = await ReadStatusAsync(session, cancellationToken);
        var limits = new FlushLimits(Number(row["pct"]), Number(row["lwm"]));
        return new InnoDbState(
            limits,
            (int)Number(row["fast"]),
            Number(row["dump"]) != 0,
            ErrorLogPath(Text(row["log_error"]), Text(row["datadir"])),
            TimeSpan.FromSeconds(status.GetValueOrDefault("Uptime")));
    }

    public async Task<DirtyPages> ReadDirtyPagesAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        var status = await ReadStatusAsync(session, cancellationToken);
        return new DirtyPages(status.GetValueOrDefault("Innodb_buffer_pool_pages_dirty"), status.GetValueOrDefault("Innodb_buffer_pool_pages_total"));
    }

    public async Task SetLimitsAsync(FlushLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        var current = (await RunAsync(session, "reading the InnoDB settings", null, () => session.QueryRawAsync(Variables, cancellationToken), cancellationToken))[0];
        var pct = Invariant(limits.MaxDirtyPagesPct);
        var lwm = Invariant(limits.MaxDirtyPagesPctLwm);
        // The low-water mark may not exceed the limit: lower it first, raise it last.
        var statements = limits.MaxDirtyPagesPct < Number(current["pct"])
            ? new[] { $"SET GLOBAL innodb_max_dirty_pages_pct_lwm = {lwm}", $"SET GLOBAL innodb_max_dirty_pages_pct = {pct}" }
            : [$"SET GLOBAL innodb_max_dirty_pages_pct = {pct}", $"SET GLOBAL innodb_max_dirty_pages_pct_lwm = {lwm}"];
        foreach (var statement in statements)
        {
            await RunAsync(session, $"setting {limits}", SetPrivilege, async () =>
            {
                await session.ExecuteRawAsync(statement, cancellationToken);
                return true;
            }, cancellationToken);
        }
    }

    public async Task DumpBufferPoolNowAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        await RunAsync(session, "dumping the buffer pool (innodb_buffer_pool_dump_now)", SetPrivilege, async () =>
        {
            await session.ExecuteRawAsync("SET GLOBAL innodb_buffer_pool_dump_now = ON", cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>The error log's absolute path; empty when the server logs to stderr (or the journal/syslog).</summary>
    internal static string ErrorLogPath(string logError, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(logError) || logError == "stderr")
        {
            return string.Empty;
        }

        // A relative log_error (MySQL's default "./host.err") lies in the data directory.
        return Path.IsPathRooted(logError) ? logError : Path.GetFullPath(Path.Combine(dataDirectory, logError));
    }

    private async Task<Dictionary<string, long>> ReadStatusAsync(MySqlSession session, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(session, "reading the InnoDB status", null, () => session.QueryRawAsync(StatusQuery, cancellationToken), cancellationToken);
        return rows.ToDictionary(
            r => Text(r["Variable_name"]),
            r => long.Parse(Text(r["Value"]), NumberStyles.Integer, CultureInfo.InvariantCulture),
            StringComparer.OrdinalIgnoreCase);
    }

    private async Task<T> RunAsync<T>(MySqlSession session, string doing, string? privilege, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (MySqlException e) when (e.Number == MySqlErrors.SpecificAccessDenied && privilege is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = await session.QueryRawAsync("SELECT CURRENT_USER() AS account", cancellationToken);
            var account = Text(rows[0]["account"]);
            throw MySqlErrors.ForMissingPrivilege(e, settings, doing, ReplicationPrivileges.Missing(privilege, doing, account));
        }
        catch (Exception e) when (MySqlErrors.IsConnectionFailure(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlErrors.ForStatement(e, settings, doing);
        }
    }

    private static double Number(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
