using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;

namespace OfflineBackup.MySql;

/// <summary>
/// Online mode's side of the replica over MySql.Data: the layout read for the preflight, and the
/// commit block with its watchdog (<see cref="MySqlBackupLock"/>).
/// </summary>
public sealed class MySqlOnlineReplica(MySqlSettings settings, TimeProvider? clock = null) : IOnlineReplica
{
    private static readonly string LayoutQuery = "SELECT VERSION() AS version, "
        + string.Join(", ", ServerLayoutReader.PathVariables.Select(v => $"@@GLOBAL.{v} AS {v}"))
        + ", @@GLOBAL.relay_log_recovery AS relay_log_recovery";

    public async Task<ServerLayout> ReadLayoutAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        try
        {
            var row = (await session.QueryRawAsync(LayoutQuery, cancellationToken))[0];
            var flavor = ServerFlavor.Parse(Text(row["version"]) ?? string.Empty);
            var variables = ServerLayoutReader.PathVariables.ToDictionary(v => v, v => Text(row[v]), StringComparer.Ordinal);
            var paths = ServerLayoutReader.Resolve(variables);
            var warnings = ServerLayoutReader.Warnings(flavor, paths[0].Directory, Text(row["relay_log_recovery"]));
            var account = Text((await session.QueryRawAsync("SELECT CURRENT_USER() AS account", cancellationToken))[0]["account"]) ?? settings.User;
            var grants = (await session.QueryRawAsync("SHOW GRANTS", cancellationToken))
                .Select(r => Convert.ToString(r.Values.First(), CultureInfo.InvariantCulture) ?? string.Empty);
            return new ServerLayout(flavor, paths[0].Directory, paths, warnings, OnlinePrivileges.FindMissing(flavor, account, grants));
        }
        catch (Exception e) when (MySqlErrors.IsConnectionFailure(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlErrors.ForStatement(e, settings, "reading the data directory and log paths");
        }
    }

    public Task<IBackupLock> BlockCommitsAsync(TimeSpan maxBlock, CancellationToken cancellationToken) =>
        MySqlBackupLock.AcquireAsync(settings, maxBlock, clock ?? TimeProvider.System, cancellationToken);

    internal static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    internal static BackupException Failure(MySqlSettings settings, Exception e, string doing, ServerFlavor flavor) =>
        e is MySqlException { Number: MySqlErrors.SpecificAccessDenied }
            ? MySqlErrors.ForMissingPrivilege(e, settings, doing, ReplicationPrivileges.Missing(
                OnlinePrivileges.Needed(flavor)[0].Privilege, OnlinePrivileges.LockPurpose, settings.User))
            : MySqlErrors.ForStatement(e, settings, doing);
}
