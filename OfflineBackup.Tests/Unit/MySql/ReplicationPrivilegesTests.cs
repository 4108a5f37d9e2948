namespace OfflineBackup.Tests.Unit.MySql;

public sealed class ReplicationPrivilegesTests
{
    private static readonly ServerFlavor MariaDb1011 = ServerFlavor.Parse("10.11.19-MariaDB");
    private static readonly ServerFlavor MySql8 = ServerFlavor.Parse("8.0.36");
    private const string Account = "monitor@10.0.0.%";

    [Fact]
    public void MariaDb_least_privilege_user_lacks_nothing()
    {
        string[] grants =
        [
            "GRANT REPLICATION SLAVE ADMIN, SLAVE MONITOR ON *.* TO `monitor`@`10.0.0.%` IDENTIFIED BY PASSWORD '*6701'",
        ];

        Assert.Empty(ReplicationPrivileges.FindMissing(MariaDb1011, Account, grants, canReadStatus: true));
    }

    [Fact]
    public void MariaDb_user_without_either_gets_both_exact_grants()
    {
        string[] grants = ["GRANT BINLOG MONITOR ON *.* TO `monitor`@`10.0.0.%`"];

        var missing = ReplicationPrivileges.FindMissing(MariaDb1011, Account, grants, canReadStatus: false);

        Assert.Equal(
            ["GRANT SLAVE MONITOR ON *.* TO 'monitor'@'10.0.0.%';", "GRANT REPLICATION SLAVE ADMIN ON *.* TO 'monitor'@'10.0.0.%';"],
            missing.Select(m => m.GrantStatement));
        Assert.Contains("reading the replication status", missing[0].NeededFor);
        Assert.Contains("stopping and starting replication", missing[1].NeededFor);
    }

    [Theory]
    [InlineData("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION")]
    [InlineData("GRANT SUPER ON *.* TO `monitor`@`%`")]
    [InlineData("GRANT SELECT, SUPER, PROCESS ON *.* TO 'monitor'@'%'")]
    public void All_privileges_and_super_satisfy_replication_control(string grant)
    {
        Assert.Empty(ReplicationPrivileges.FindMissing(MariaDb1011, Account, [grant], canReadStatus: true));
        Assert.Empty(ReplicationPrivileges.FindMissing(MySql8, Account, [grant], canReadStatus: true));
    }

    [Theory]
    [InlineData("GRANT ALL PRIVILEGES ON `app`.* TO `monitor`@`%`")]
    [InlineData("GRANT `dba_role` TO `monitor`@`%`")]
    [InlineData("GRANT PROXY ON ''@'%' TO 'monitor'@'%'")]
    [InlineData("GRANT USAGE ON *.* TO `monitor`@`%`")]
    public void Grants_that_are_not_global_privileges_do_not_count(string grant)
    {
        var missing = Assert.Single(ReplicationPrivileges.FindMissing(MariaDb1011, Account, [grant], canReadStatus: true));

        Assert.Equal("REPLICATION SLAVE ADMIN", missing.Privilege);
    }

    [Fact]
    public void MySql_8_reads_the_dynamic_privilege_line()
    {
        string[] grants =
        [
            "GRANT REPLICATION CLIENT ON *.* TO `monitor`@`%`",
            "GRANT REPLICATION_SLAVE_ADMIN ON *.* TO `monitor`@`%`",
        ];

        Assert.Empty(ReplicationPrivileges.FindMissing(MySql8, "monitor@%", grants, canReadStatus: true));
    }

    [Fact]
    public void MySql_8_user_without_either_gets_the_MySql_names()
    {
        var missing = ReplicationPrivileges.FindMissing(MySql8, "monitor@%", ["GRANT USAGE ON *.* TO `monitor`@`%`"], false);

        Assert.Equal(
            ["GRANT REPLICATION CLIENT ON *.* TO 'monitor'@'%';", "GRANT REPLICATION_SLAVE_ADMIN ON *.* TO 'monitor'@'%';"],
            missing.Select(m => m.GrantStatement));
    }

    [Fact]
    public void MariaDb_10_5_early_needs_one_privilege_for_both()
    {
        var missing = Assert.Single(ReplicationPrivileges.FindMissing(
            ServerFlavor.Parse("10.5.5-MariaDB"), Account, ["GRANT USAGE ON *.* TO x"], canReadStatus: false));

        Assert.Equal("GRANT REPLICATION SLAVE ADMIN ON *.* TO 'monitor'@'10.0.0.%';", missing.GrantStatement);
        Assert.Contains(" and ", missing.NeededFor);
    }

    [Theory]
    [InlineData("10.4.32-MariaDB", "REPLICATION CLIENT", "SUPER")]
    [InlineData("5.7.44-log", "REPLICATION CLIENT", "SUPER")]
    [InlineData("8.0.36", "REPLICATION CLIENT", "REPLICATION_SLAVE_ADMIN")]
    [InlineData("10.11.19-MariaDB", "SLAVE MONITOR", "REPLICATION SLAVE ADMIN")]
    public void Names_the_privileges_of_each_flavour(string version, string read, string control)
    {
        var flavor = ServerFlavor.Parse(version);

        Assert.Equal(read, ReplicationPrivileges.ReadPrivilege(flavor));
        Assert.Equal(control, ReplicationPrivileges.ControlPrivilege(flavor));
    }

    [Fact]
    public void Quotes_odd_account_names_in_the_grant()
    {
        var missing = Assert.Single(ReplicationPrivileges.FindMissing(MariaDb1011, "o'brien@ops@%", [], canReadStatus: true));

        Assert.Equal("GRANT REPLICATION SLAVE ADMIN ON *.* TO 'o''brien@ops'@'%';", missing.GrantStatement);
    }
}
