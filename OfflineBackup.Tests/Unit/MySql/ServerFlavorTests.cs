namespace OfflineBackup.Tests.Unit.MySql;

public sealed class ServerFlavorTests
{
    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1", true, "10.11.19")]
    [InlineData("5.5.5-10.11.19-MariaDB", true, "10.11.19")]
    [InlineData("10.4.32-MariaDB-log", true, "10.4.32")]
    [InlineData("8.0.36", false, "8.0.36")]
    [InlineData("8.0.36-28", false, "8.0.36")]
    [InlineData("5.7.44-log", false, "5.7.44")]
    [InlineData("8.4", false, "8.4.0")]
    public void Parses_the_version_string(string text, bool isMariaDb, string version)
    {
        var flavor = ServerFlavor.Parse(text);

        Assert.Equal(isMariaDb, flavor.IsMariaDb);
        Assert.Equal(Version.Parse(version), flavor.Version);
    }

    [Theory]
    [InlineData("10.11.19-MariaDB", true, true)]
    [InlineData("10.5.9-MariaDB", true, true)]
    [InlineData("10.5.8-MariaDB", false, true)]
    [InlineData("10.5.2-MariaDB", false, true)]
    [InlineData("10.4.32-MariaDB", false, false)]
    [InlineData("8.0.36", false, true)]
    [InlineData("5.7.44", false, false)]
    public void Knows_which_privileges_exist(string text, bool slaveMonitor, bool replicationSlaveAdmin)
    {
        var flavor = ServerFlavor.Parse(text);

        Assert.Equal(slaveMonitor, flavor.HasSlaveMonitor);
        Assert.Equal(replicationSlaveAdmin, flavor.HasReplicationSlaveAdmin);
    }
}
