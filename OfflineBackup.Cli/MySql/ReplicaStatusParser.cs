using System.Globalization;
using System.Text;
using OfflineBackup.Errors;

namespace OfflineBackup.MySql;

/// <summary>
/// Turns the rows of SHOW REPLICA STATUS / SHOW SLAVE STATUS / SHOW ALL SLAVES STATUS into
/// <see cref="ReplicaChannel"/>s, reading every column by name in both namings: MySQL 8.0.22+
/// says Source/Replica, MariaDB (even for SHOW REPLICA STATUS) and older MySQL say
/// Master/Slave. Pure, so each naming is unit-tested without a server.
/// </summary>
public static class ReplicaStatusParser
{
    private static readonly string[] ChannelName = ["Channel_Name", "Connection_name"];
    private static readonly string[] IoRunning = ["Replica_IO_Running", "Slave_IO_Running"];
    private static readonly string[] SqlRunning = ["Replica_SQL_Running", "Slave_SQL_Running"];
    private static readonly string[] SecondsBehind = ["Seconds_Behind_Source", "Seconds_Behind_Master"];
    private static readonly string[] OpenTempTables = ["Replica_open_temp_tables", "Slave_open_temp_tables"];
    private static readonly string[] LastIoError = ["Last_IO_Error"];
    private static readonly string[] LastSqlError = ["Last_SQL_Error", "Last_Error"];

    /// <summary>
    /// One channel per row. The servers report open temporary tables as a global status
    /// variable, not per channel, so <paramref name="serverOpenTempTables"/> applies to every
    /// channel unless a row carries its own count.
    /// </summary>
    public static IReadOnlyList<ReplicaChannel> ParseChannels(
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, int serverOpenTempTables)
    {
        var channels = new List<ReplicaChannel>(rows.Count);
        foreach (var row in rows)
        {
            channels.Add(new ReplicaChannel(
                Name: Text(Find(row, ChannelName)) ?? string.Empty,
                IoRunning: IsYes(Required(row, IoRunning)),
                SqlRunning: IsYes(Required(row, SqlRunning)),
                SecondsBehind: Number(Find(row, SecondsBehind)),
                OpenTempTables: (int?)Number(Find(row, OpenTempTables)) ?? serverOpenTempTables,
                LastIoError: Text(Find(row, LastIoError)) ?? string.Empty,
                LastSqlError: Text(Find(row, LastSqlError)) ?? string.Empty));
        }

        return channels;
    }

    /// <summary>
    /// The open temporary tables of the replication threads from SHOW GLOBAL STATUS rows
    /// (Variable_name, Value); 0 when the server reports neither name.
    /// </summary>
    public static int ParseOpenTempTables(IReadOnlyList<IReadOnlyDictionary<string, object?>> statusRows)
    {
        foreach (var name in OpenTempTables)
        {
            foreach (var row in statusRows)
            {
                if (string.Equals(Text(Find(row, ["Variable_name"])), name, StringComparison.OrdinalIgnoreCase)
                    && Number(Find(row, ["Value"])) is { } count)
                {
                    return (int)count;
                }
            }
        }

        return 0;
    }

    private static object? Required(IReadOnlyDictionary<string, object?> row, string[] names)
    {
        if (TryFind(row, names, out var value))
        {
            return value;
        }

        throw new BackupException(
            ExitCodes.ReplicaUnhealthy,
            $"the replication status has no column {string.Join(" or ", names)} " +
            $"(columns: {string.Join(", ", row.Keys)}); cannot judge the replica, so it is not stopped");
    }

    private static object? Find(IReadOnlyDictionary<string, object?> row, string[] names) =>
        TryFind(row, names, out var value) ? value : null;

    private static bool TryFind(IReadOnlyDictionary<string, object?> row, string[] names, out object? value)
    {
        foreach (var name in names)
        {
            if (row.TryGetValue(name, out value))
            {
                return true;
            }

            // Column case differs between versions (Channel_Name vs Channel_name).
            foreach (var (key, candidate) in row)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = candidate;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    private static bool IsYes(object? value) =>
        string.Equals(Text(value), "Yes", StringComparison.OrdinalIgnoreCase);

    private static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>NULL stays null: for the lag it means broken replication, never zero.</summary>
    private static long? Number(object? value) => value switch
    {
        null or DBNull => null,
        long l => l,
        int i => i,
        ulong u => checked((long)u),
        uint u => u,
        decimal d => (long)d,
        _ => long.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null,
    };
}
