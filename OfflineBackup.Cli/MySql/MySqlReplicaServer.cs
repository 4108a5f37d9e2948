using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Errors;
using OfflineBackup.Configuration;

namespace OfflineBackup.MySql;

/// <summary>
/// The replica as MySql.Data sees it, for MySQL 5.7/8.x and MariaDB 10.x. Every call opens its
/// own unpooled connection. Failures become BackupException: exit 6 when the server cannot be
/// reached, refuses the login or fails a statement, exit 11 when the user lacks a privilege
/// (the message carries the GRANT). <see cref="IsUpAsync"/> answers false only for a server that
/// cannot be reached; a refused login is not "down" and throws, because waiting will not fix it.
/// </summary>
public sealed class MySqlReplicaServer(MySqlSettings settings) : IReplicaServer
{
    private static readonly TimeSpan IsUpConnectTimeout = TimeSpan.FromSeconds(5);

    private const string OpenTempTablesQuery =
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('Replica_open_temp_tables', 'Slave_open_temp_tables')";

    public async Task<ServerState> ReadStateAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        var flavor = await ReadFlavorAsync(session, cancellationToken);
        return await ReadStateAsync(session, flavor, cancellationToken);
    }

    public async Task<IReadOnlyList<MissingPrivilege>> FindMissingPrivilegesAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        var flavor = await ReadFlavorAsync(session, cancellationToken);
        return await FindMissingPrivilegesAsync(session, flavor, canReadStatus: null, cancellationToken);
    }

    /// <summary>
    /// The not-due hourly path's only MySQL work: one connection, the version once, the status
    /// once. A failure to connect fails both halves alike; a denied status read is the state's
    /// failure and, for the privileges, the answer that the read privilege is missing.
    /// </summary>
    public async Task<ReplicaInspection> InspectAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        var flavor = await ReadFlavorAsync(session, cancellationToken);
        var (state, stateError) = await ReplicaInspection.AttemptAsync(() => ReadStateAsync(session, flavor, cancellationToken));
        var canReadStatus = stateError?.ExitCode != ExitCodes.PermissionDenied;
        var (missing, missingError) = await ReplicaInspection.AttemptAsync(
            () => FindMissingPrivilegesAsync(session, flavor, stateError is null ? true : canReadStatus ? null : false, cancellationToken));
        return new ReplicaInspection(state, stateError, missing, missingError);
    }

    private async Task<ServerState> ReadStateAsync(MySqlSession session, (ServerFlavor Flavor, string Version, bool ReadOnly) server, CancellationToken cancellationToken)
    {
        var rows = await GuardAsync(
            session, ReplicationPrivileges.ReadPurpose, ReplicationPrivileges.ReadPrivilege(server.Flavor),
            () => ReadStatusRowsAsync(session, server.Flavor, cancellationToken), cancellationToken);
        var tempTables = await GuardAsync(
            session, "reading the open temporary tables", null,
            () => session.QueryRawAsync(OpenTempTablesQuery, cancellationToken), cancellationToken);
        var channels = ReplicaStatusParser.ParseChannels(rows, ReplicaStatusParser.ParseOpenTempTables(tempTables));
        return new ServerState(server.Version, server.ReadOnly, channels);
    }

    /// <summary><paramref name="canReadStatus"/>: already known from a status read on this session, or null to try one.</summary>
    private async Task<IReadOnlyList<MissingPrivilege>> FindMissingPrivilegesAsync(
        MySqlSession session, (ServerFlavor Flavor, string Version, bool ReadOnly) server, bool? canReadStatus, CancellationToken cancellationToken)
    {
        var account = await CurrentAccountAsync(session, cancellationToken);
        var grants = await GuardAsync(
            session, "reading the user's grants", null,
            () => session.QueryRawAsync("SHOW GRANTS", cancellationToken), cancellationToken);
        // Reading the status is harmless, so it is simply tried: the server's own answer also
        // covers privileges that come through a role, which SHOW GRANTS does not expand.
        if (canReadStatus is null)
        {
            canReadStatus = true;
            try
            {
                await GuardAsync(
                    session, ReplicationPrivileges.ReadPurpose, ReplicationPrivileges.ReadPrivilege(server.Flavor),
                    () => ReadStatusRowsAsync(session, server.Flavor, cancellationToken), cancellationToken);
            }
            catch (BackupException e) when (e.ExitCode == ExitCodes.PermissionDenied)
            {
                canReadStatus = false;
            }
        }

        var grantLines = grants.Select(row => Convert.ToString(row.Values.First(), CultureInfo.InvariantCulture) ?? string.Empty);
        return ReplicationPrivileges.FindMissing(server.Flavor, account, grantLines, canReadStatus.Value);
    }

    private async Task<(ServerFlavor Flavor, string Version, bool ReadOnly)> ReadFlavorAsync(MySqlSession session, CancellationToken cancellationToken)
    {
        var (version, readOnly) = await ReadVersionAsync(session, cancellationToken);
        return (ServerFlavor.Parse(version), version, readOnly);
    }

    public Task StopReplicationAsync(CancellationToken cancellationToken) =>
        ControlAsync("stopping replication", ReplicationStatements.StopAll, cancellationToken);

    public Task StartReplicationAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return ControlAsync(
            channels.Count == 0 ? "starting replication" : $"starting replication on {string.Join(", ", channels.Select(c => $"'{c}'"))}",
            flavor => ReplicationStatements.Start(flavor, channels),
            cancellationToken);
    }

    public async Task<string> ReadDataDirectoryAsync(CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        return await GuardAsync(
            session, "reading @@datadir", null,
            async () => Convert.ToString((await session.QueryRawAsync("SELECT @@GLOBAL.datadir AS datadir", cancellationToken))[0]["datadir"], CultureInfo.InvariantCulture)
                ?? string.Empty,
            cancellationToken);
    }

    public async Task<bool> IsUpAsync(CancellationToken cancellationToken)
    {
        var timeout = settings.ConnectTimeout < IsUpConnectTimeout ? settings.ConnectTimeout : IsUpConnectTimeout;
        try
        {
            await using var session = await MySqlSession.OpenRawAsync(settings, timeout, cancellationToken);
            await session.QueryRawAsync("SELECT 1", cancellationToken);
            return true;
        }
        catch (Exception e) when (MySqlErrors.IsLoginRefused(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlErrors.ForConnect(e, settings);
        }
        catch (Exception e) when (MySqlErrors.IsConnectionFailure(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    private async Task ControlAsync(
        string doing,
        Func<ServerFlavor, IReadOnlyList<IReadOnlyList<string>>> statements,
        CancellationToken cancellationToken)
    {
        await using var session = await MySqlSession.OpenAsync(settings, cancellationToken);
        var (version, _) = await ReadVersionAsync(session, cancellationToken);
        var flavor = ServerFlavor.Parse(version);
        foreach (var alternatives in statements(flavor))
        {
            await GuardAsync(
                session, doing, ReplicationPrivileges.ControlPrivilege(flavor),
                async () =>
                {
                    await session.ExecuteFirstUnderstoodRawAsync(alternatives, cancellationToken);
                    return true;
                },
                cancellationToken);
        }
    }

    private Task<(string Version, bool ReadOnly)> ReadVersionAsync(MySqlSession session, CancellationToken cancellationToken) =>
        GuardAsync(
            session, "reading the server version and read_only", null,
            async () =>
            {
                var rows = await session.QueryRawAsync("SELECT VERSION() AS version, @@GLOBAL.read_only AS read_only", cancellationToken);
                var row = rows[0];
                return (Convert.ToString(row["version"], CultureInfo.InvariantCulture) ?? string.Empty,
                        Convert.ToInt64(row["read_only"], CultureInfo.InvariantCulture) != 0);
            },
            cancellationToken);

    private static Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> ReadStatusRowsAsync(
        MySqlSession session, ServerFlavor flavor, CancellationToken cancellationToken) =>
        // MariaDB: every connection of multi-source replication. MySQL: SHOW REPLICA STATUS
        // lists every channel; before 8.0.22 it is spelled SHOW SLAVE STATUS.
        flavor.IsMariaDb
            ? session.QueryRawAsync("SHOW ALL SLAVES STATUS", cancellationToken)
            : session.QueryFirstUnderstoodRawAsync(["SHOW REPLICA STATUS", "SHOW SLAVE STATUS"], cancellationToken);

    /// <summary>CURRENT_USER(): the account the server matched, whose host part a GRANT needs.</summary>
    private async Task<string> CurrentAccountAsync(MySqlSession session, CancellationToken cancellationToken)
    {
        var rows = await GuardAsync(
            session, "reading CURRENT_USER()", null,
            () => session.QueryRawAsync("SELECT CURRENT_USER() AS account", cancellationToken), cancellationToken);
        return Convert.ToString(rows[0]["account"], CultureInfo.InvariantCulture) ?? settings.User;
    }

    /// <summary>
    /// Runs one step and translates its failure: a privilege error (1227) names the privilege
    /// and its GRANT, anything else names the server and what was being done.
    /// </summary>
    private async Task<T> GuardAsync<T>(
        MySqlSession session, string doing, string? privilege, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (MySqlException e) when (e.Number == MySqlErrors.SpecificAccessDenied && privilege is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var account = await CurrentAccountAsync(session, cancellationToken);
            throw MySqlErrors.ForMissingPrivilege(e, settings, doing, ReplicationPrivileges.Missing(privilege, doing, account));
        }
        catch (Exception e) when (MySqlErrors.IsConnectionFailure(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw MySqlErrors.ForStatement(e, settings, doing);
        }
    }
}
