namespace OfflineBackup.MySql;

/// <summary>
/// The statements that stop and start replication, per flavour. Each entry is a list of
/// alternatives tried in order: MySQL before 8.0.22 has no STOP/START REPLICA and answers a
/// parse error (1064), upon which the SLAVE spelling is used. MariaDB understands the SLAVE
/// spelling in every version and names its connections ('' is the default one).
/// </summary>
public static class ReplicationStatements
{
    public static IReadOnlyList<IReadOnlyList<string>> StopAll(ServerFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        return flavor.IsMariaDb
            ? [["STOP ALL SLAVES"]]
            : [["STOP REPLICA", "STOP SLAVE"]];
    }

    /// <summary>Starts the named channels, or every channel when <paramref name="channels"/> is empty.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Start(ServerFlavor flavor, IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0)
        {
            return flavor.IsMariaDb
                ? [["START ALL SLAVES"]]
                : [["START REPLICA", "START SLAVE"]];
        }

        return channels
            .Select(channel => flavor.IsMariaDb
                ? (IReadOnlyList<string>)[$"START SLAVE {Literal(channel)}"]
                : [$"START REPLICA FOR CHANNEL {Literal(channel)}", $"START SLAVE FOR CHANNEL {Literal(channel)}"])
            .ToList();
    }

    /// <summary>A channel name as a string literal: quotes doubled, backslashes escaped as the default sql_mode reads them.</summary>
    internal static string Literal(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}
