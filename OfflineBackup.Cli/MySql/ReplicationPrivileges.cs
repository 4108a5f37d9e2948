namespace OfflineBackup.MySql;

/// <summary>
/// Which privileges the tool's MySQL user needs, by server flavour, and which of them the
/// user's SHOW GRANTS lines lack. Reading the status is checked by the caller by running the
/// status query itself (definitive, and it covers privileges that come through a role); the
/// right to stop and start replication cannot be tried harmlessly, so it is read from the grants.
/// </summary>
public static class ReplicationPrivileges
{
    public const string ReadPurpose = "reading the replication status (the replica guard)";
    public const string ControlPurpose = "stopping and starting replication around the snapshot";

    /// <summary>The privilege that lets the user read SHOW REPLICA STATUS on this server.</summary>
    public static string ReadPrivilege(ServerFlavor flavor) => flavor switch
    {
        { HasSlaveMonitor: true } => "SLAVE MONITOR",
        // MariaDB 10.5.2-10.5.8 had moved SHOW SLAVE STATUS into REPLICATION SLAVE ADMIN.
        { IsMariaDb: true, HasReplicationSlaveAdmin: true } => "REPLICATION SLAVE ADMIN",
        _ => "REPLICATION CLIENT",
    };

    /// <summary>The privilege that lets the user run STOP/START REPLICA on this server.</summary>
    public static string ControlPrivilege(ServerFlavor flavor) => flavor switch
    {
        { HasReplicationSlaveAdmin: false } => "SUPER",
        { IsMariaDb: true } => "REPLICATION SLAVE ADMIN",
        _ => "REPLICATION_SLAVE_ADMIN",
    };

    /// <param name="flavor">The server.</param>
    /// <param name="account">CURRENT_USER() as the server returns it, e.g. monitor@127.0.0.1.</param>
    /// <param name="grantLines">The rows of SHOW GRANTS.</param>
    /// <param name="canReadStatus">Whether the status query succeeded for this user.</param>
    public static IReadOnlyList<MissingPrivilege> FindMissing(
        ServerFlavor flavor, string account, IEnumerable<string> grantLines, bool canReadStatus)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        var held = GlobalPrivileges(grantLines);
        var needs = new List<(string Privilege, string Purpose)>();
        if (!canReadStatus)
        {
            needs.Add((ReadPrivilege(flavor), ReadPurpose));
        }

        var control = ControlPrivilege(flavor);
        if (!held.Contains("ALL PRIVILEGES") && !held.Contains("SUPER") && !held.Contains(Normalize(control))
            && !held.Contains("REPLICATION REPLICA ADMIN"))
        {
            needs.Add((control, ControlPurpose));
        }

        // On MariaDB 10.5.2-10.5.8 one privilege serves both needs: grant it once.
        return needs
            .GroupBy(n => n.Privilege)
            .Select(g => Missing(g.Key, string.Join(" and ", g.Select(n => n.Purpose)), account))
            .ToList();
    }

    /// <summary>A missing privilege with the GRANT statement for <paramref name="account"/> (user@host).</summary>
    public static MissingPrivilege Missing(string privilege, string neededFor, string account) =>
        new(privilege, neededFor, $"GRANT {privilege} ON *.* TO {Grantee(account)};");

    /// <summary>Privileges granted ON *.*, upper case, underscores as spaces.</summary>
    internal static HashSet<string> GlobalPrivileges(IEnumerable<string> grantLines)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in grantLines)
        {
            var on = line.IndexOf(" ON ", StringComparison.OrdinalIgnoreCase);
            var to = line.IndexOf(" TO ", StringComparison.OrdinalIgnoreCase);
            if (!line.StartsWith("GRANT ", StringComparison.OrdinalIgnoreCase) || on < 0 || to < on
                || line[(on + 4)..to].Trim() != "*.*")
            {
                // Role memberships (no ON), database and table grants, PROXY: none of them is
                // a global privilege.
                continue;
            }

            foreach (var privilege in line[6..on].Split(','))
            {
                held.Add(Normalize(privilege));
            }
        }

        if (held.Contains("ALL"))
        {
            held.Add("ALL PRIVILEGES");
        }

        return held;
    }

    private static string Normalize(string privilege) =>
        string.Join(' ', privilege.Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToUpperInvariant();

    /// <summary>
    /// 'user'@'host' from CURRENT_USER()'s user@host, split at the last '@': a user name may
    /// contain one, a host name cannot.
    /// </summary>
    private static string Grantee(string account)
    {
        var at = account.LastIndexOf('@');
        var user = at < 0 ? account : account[..at];
        var host = at < 0 ? "%" : account[(at + 1)..];
        return $"{Quote(user)}@{Quote(host)}";
    }

    private static string Quote(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}
