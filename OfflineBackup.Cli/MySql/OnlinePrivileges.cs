namespace OfflineBackup.MySql;

/// <summary>
/// The grants online mode needs on top of stop mode's: the backup lock and the flush of the redo
/// log (RELOAD; on MySQL 8 also BACKUP_ADMIN for LOCK INSTANCE FOR BACKUP) and the processlist of every user (PROCESS, to name
/// the query in the way). The watchdog's KILL needs nothing more: it only ever ends the tool's
/// own connection (same user), never anyone else's query; CONNECTION ADMIN would be needed only
/// to kill other users' sessions, which the tool never does.
/// </summary>
public static class OnlinePrivileges
{
    public const string LockPurpose = "blocking commits around an online snapshot";
    public const string ProcessPurpose = "naming the query that holds up the backup lock";

    public static IReadOnlyList<(string Privilege, string Purpose)> Needed(ServerFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        var mySql8 = !flavor.IsMariaDb && flavor.Version >= new Version(8, 0);
        // RELOAD everywhere for FLUSH ENGINE LOGS (the redo log to disk under the lock).
        return
        [
            .. mySql8 ? new[] { ("BACKUP_ADMIN", LockPurpose) } : [],
            ("RELOAD", LockPurpose),
            ("PROCESS", ProcessPurpose),
        ];
    }

    /// <summary>What the SHOW GRANTS lines lack; ALL PRIVILEGES covers everything.</summary>
    public static IReadOnlyList<MissingPrivilege> FindMissing(ServerFlavor flavor, string account, IEnumerable<string> grantLines)
    {
        var held = ReplicationPrivileges.GlobalPrivileges(grantLines);
        if (held.Contains("ALL PRIVILEGES"))
        {
            return [];
        }

        return Needed(flavor)
            .Where(n => !held.Contains(n.Privilege.Replace('_', ' ')))
            .Select(n => ReplicationPrivileges.Missing(n.Privilege, n.Purpose, account))
            .ToList();
    }
}
