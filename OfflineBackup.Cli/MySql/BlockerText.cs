using System.Globalization;

namespace OfflineBackup.MySql;

/// <summary>One row of the processlist, as the watchdog reads it.</summary>
public sealed record ProcessRow(long Id, string User, string Host, string Command, long Seconds, string? State, string? Info);

/// <summary>
/// Names what held up the backup lock, from the processlist at the moment it was given up: the
/// longest-running statement of another connection (replication and server threads aside), or,
/// when none runs, the longest idle session (an open transaction or LOCK TABLES holds its locks
/// while idle). Pure, so that the wording is tested without a stuck server.
/// </summary>
public static class BlockerText
{
    private static readonly HashSet<string> ServerThreads = new(StringComparer.OrdinalIgnoreCase)
    {
        "Daemon", "Binlog Dump", "Binlog Dump GTID", "Slave_IO", "Slave_SQL", "Slave_worker", "Killed",
    };

    public static string Describe(IReadOnlyList<ProcessRow> rows, long holderId, string? secret)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var waiting = rows.FirstOrDefault(r => r.Id == holderId)?.State;
        var others = rows
            .Where(r => r.Id != holderId && !ServerThreads.Contains(r.Command) && r.User != "system user" && r.User != "event_scheduler")
            .ToList();
        var running = others.Where(r => r.Command != "Sleep").OrderByDescending(r => r.Seconds).FirstOrDefault();
        var idle = others.Where(r => r.Command == "Sleep").OrderByDescending(r => r.Seconds).FirstOrDefault();
        var suffix = waiting is { Length: > 0 } ? $" (the tool's statement was in state \"{waiting}\")" : string.Empty;
        if (running is not null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"held up by connection {running.Id} ({running.User}@{running.Host}), running {running.Seconds} s: {Query(running, secret)}{suffix}");
        }

        if (idle is not null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"no other statement was running; the longest idle session, connection {idle.Id} ({idle.User}@{idle.Host}, idle {idle.Seconds} s), "
                + $"may hold the lock in an open transaction or LOCK TABLES{suffix}");
        }

        return "no other connection was visible (the processlist shows other users' queries only with the PROCESS privilege)" + suffix;
    }

    private static string Query(ProcessRow row, string? secret)
    {
        var info = (row.Info ?? $"({row.Command}{(row.State is { Length: > 0 } state ? ", " + state : string.Empty)})").ReplaceLineEndings(" ");
        return string.IsNullOrEmpty(secret) ? info : info.Replace(secret, "*****", StringComparison.Ordinal);
    }
}
