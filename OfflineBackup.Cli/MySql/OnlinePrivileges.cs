namespace OfflineBackup.MySql;

/// <summary>
/// The grants online mode needs on top of stop mode's: the backup lock (RELOAD on MariaDB and
/// before MySQL 8, BACKUP_ADMIN on MySQL 8), the processlist of every user (PROCESS, to name the
/// query in the way) and the watchdog's KILL of the tool's own waiting statement (CONNECTION
/// ADMIN, SUPER where that does not exist).
/// </summary>
public static class OnlinePrivileges
{
    public const string LockPurpose = "blocking commits around an online snapshot";
    public const string ProcessPurpose = "naming the query that holds up the backup lock";
    public const string KillPurpose = "the watchdog's KILL of a lock wait past max_block_seconds";

    public static IReadOnlyList<(string Privilege, string Purpose)> Needed(ServerFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        var mySql8 = !flavor.IsMariaDb && flavor.Version >= new Version(8, 0);
        var connectionAdmin = flavor.IsMariaDb
            ? flavor.Version >= new Version(10, 5, 2) ? "CONNECTION ADMIN" : "SUPER"
            : mySql8 ? "CONNECTION_ADMIN" : "SUPER";
        return
        [
            (mySql8 ? "BACKUP_ADMIN" : "RELOAD", LockPurpose),
            ("PROCESS", ProcessPurpose),
            (connectionAdmin, KillPurpose),
        ];
    }

    /// <summary>What the SHOW GRANTS lines lack; ALL PRIVILEGES covers everything, SUPER the kill.</summary>
    public static IReadOnlyList<MissingPrivilege> FindMissing(ServerFlavor flavor, string account, IEnumerable<string> grantLines)
    {
        var held = ReplicationPrivileges.GlobalPrivileges(grantLines);
        if (held.Contains("ALL PRIVILEGES"))
        {
            return [];
        }

        return Needed(flavor)
            .Where(n => !held.Contains(n.Privilege.Replace('_', ' '))
                && !(n.Purpose == KillPurpose && held.Contains("SUPER")))
            .Select(n => ReplicationPrivileges.Missing(n.Privilege, n.Purpose, account))
            .ToList();
    }
}
