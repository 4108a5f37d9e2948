using OfflineBackup.MySql;

namespace OfflineBackup.Tests.Unit.Online;

/// <summary>
/// The statements online mode sends, by server flavour: only MariaDB is packaged and run here, so
/// MySQL 8 and the older servers' choices are held by these tables.
/// </summary>
public sealed class OnlineStatementTests
{
    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1", "BACKUP STAGE BLOCK_COMMIT", "BACKUP STAGE START|BACKUP STAGE BLOCK_COMMIT|FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS", "BACKUP STAGE END", "SET SESSION lock_wait_timeout = 30", "@@GLOBAL.gtid_slave_pos")]
    [InlineData("5.5.5-10.4.0-MariaDB", "BACKUP STAGE BLOCK_COMMIT", "BACKUP STAGE START|BACKUP STAGE BLOCK_COMMIT|FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS", "BACKUP STAGE END", "SET SESSION lock_wait_timeout = 30", "@@GLOBAL.gtid_slave_pos")]
    [InlineData("10.3.39-MariaDB", "FLUSH TABLES WITH READ LOCK", "FLUSH TABLES WITH READ LOCK|FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS", "UNLOCK TABLES", "SET SESSION lock_wait_timeout = 2", "@@GLOBAL.gtid_slave_pos")]
    [InlineData("8.0.36", "LOCK INSTANCE FOR BACKUP", "LOCK INSTANCE FOR BACKUP|FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS", "UNLOCK INSTANCE", "SET SESSION lock_wait_timeout = 30", "performance_schema.log_status")]
    [InlineData("8.4.3", "LOCK INSTANCE FOR BACKUP", "LOCK INSTANCE FOR BACKUP|FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS", "UNLOCK INSTANCE", "SET SESSION lock_wait_timeout = 30", "performance_schema.log_status")]
    [InlineData("5.7.44-log", "FLUSH TABLES WITH READ LOCK", "FLUSH TABLES WITH READ LOCK|FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS", "UNLOCK TABLES", "SET SESSION lock_wait_timeout = 2", "@@GLOBAL.gtid_executed")]
    public void Each_flavour_blocks_commits_its_own_way(string version, string method, string acquire, string release, string setup, string position)
    {
        var statements = BackupLockStatements.For(ServerFlavor.Parse(version), TimeSpan.FromSeconds(30));

        Assert.Equal(method, statements.Method);
        Assert.Equal(acquire.Split('|'), statements.Acquire);
        Assert.Equal([release], statements.Release);
        Assert.Equal(setup, statements.SessionSetup);
        Assert.Contains(position, statements.PositionQuery, StringComparison.Ordinal);
    }

    [Fact]
    public void The_global_read_lock_never_waits_longer_than_max_block_seconds()
    {
        var statements = BackupLockStatements.For(ServerFlavor.Parse("5.7.44"), TimeSpan.FromSeconds(1));

        Assert.Equal("SET SESSION lock_wait_timeout = 1", statements.SessionSetup);
    }

    [Theory]
    [InlineData("10.11.19-MariaDB", "GRANT SLAVE MONITOR, REPLICATION SLAVE ADMIN ON *.* TO `monitor`@`%`", "RELOAD,PROCESS")]
    [InlineData("10.11.19-MariaDB", "GRANT RELOAD, PROCESS, SLAVE MONITOR ON *.* TO `monitor`@`%`", "")]
    [InlineData("10.11.19-MariaDB", "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`", "")]
    [InlineData("8.0.36", "GRANT RELOAD, PROCESS ON *.* TO `monitor`@`%`", "BACKUP_ADMIN")]
    [InlineData("8.0.36", "GRANT BACKUP_ADMIN, RELOAD, PROCESS ON *.* TO `monitor`@`%`", "")]
    [InlineData("5.7.44", "GRANT PROCESS ON *.* TO 'monitor'@'%'", "RELOAD")]
    public void The_online_grants_are_read_from_show_grants(string version, string grant, string missing)
    {
        var found = OnlinePrivileges.FindMissing(ServerFlavor.Parse(version), "monitor@%", [grant]);

        Assert.Equal(missing.Length == 0 ? [] : missing.Split(','), found.Select(m => m.Privilege));
        Assert.All(found, m => Assert.StartsWith($"GRANT {m.Privilege} ON *.* TO 'monitor'@'%'", m.GrantStatement, StringComparison.Ordinal));
    }

    [Fact]
    public void The_blocker_named_is_the_longest_running_statement_of_another_session_with_the_secret_masked()
    {
        ProcessRow[] rows =
        [
            new(7, "online", "127.0.0.1:5000", "Query", 3, "Waiting for backup lock", "BACKUP STAGE START"),
            new(5, "app", "10.0.0.9:4000", "Query", 2, "Sending data", "SELECT 1"),
            new(4, "app", "10.0.0.9:4001", "Query", 40, "User sleep", "SELECT SLEEP(60) /* Pw-Secret-1 */"),
            new(3, "system user", "", "Slave_SQL", 900, null, null),
            new(2, "app", "10.0.0.9:4002", "Sleep", 500, null, null),
        ];

        var text = BlockerText.Describe(rows, 7, "Pw-Secret-1");

        Assert.Equal("held up by connection 4 (app@10.0.0.9:4001), running 40 s: SELECT SLEEP(60) /* ***** */ "
            + "(the tool's statement was in state \"Waiting for backup lock\")", text);
    }

    [Fact]
    public void With_no_statement_running_the_longest_idle_session_is_named_as_the_likely_holder()
    {
        var text = BlockerText.Describe([new(9, "app", "h:1", "Sleep", 120, null, null), new(8, "app", "h:2", "Sleep", 5, null, null)], 1, null);

        Assert.Equal("no other statement was running; the longest idle session, connection 9 (app@h:1, idle 120 s), may hold the lock in an open transaction or LOCK TABLES", text);
    }

    [Fact]
    public void With_nobody_visible_the_message_says_why()
    {
        Assert.StartsWith("no other connection was visible (the processlist shows other users' queries only with the PROCESS privilege)",
            BlockerText.Describe([], 1, null), StringComparison.Ordinal);
    }
}
