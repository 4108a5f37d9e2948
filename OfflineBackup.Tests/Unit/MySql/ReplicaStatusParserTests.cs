namespace OfflineBackup.Tests.Unit.MySql;

public sealed class ReplicaStatusParserTests
{
    private static Dictionary<string, object?> MySql8Row(
        string channel = "", string io = "Yes", string sql = "Yes", object? behind = null) => new()
    {
        ["Replica_IO_State"] = "Waiting for source to send event",
        ["Source_Host"] = "10.0.0.1",
        ["Replica_IO_Running"] = io,
        ["Replica_SQL_Running"] = sql,
        ["Last_Error"] = "",
        ["Seconds_Behind_Source"] = behind,
        ["Last_IO_Error"] = "",
        ["Last_SQL_Error"] = "",
        ["Channel_Name"] = channel,
    };

    private static Dictionary<string, object?> MariaDbRow(
        string connection = "", string io = "Yes", string sql = "Yes", object? behind = null) => new()
    {
        ["Connection_name"] = connection,
        ["Slave_IO_State"] = "Waiting for master to send event",
        ["Slave_IO_Running"] = io,
        ["Slave_SQL_Running"] = sql,
        ["Last_Error"] = "",
        ["Seconds_Behind_Master"] = behind,
        ["Last_IO_Error"] = "",
        ["Last_SQL_Error"] = "",
    };

    [Fact]
    public void Reads_the_MySql_8_source_replica_naming()
    {
        var row = MySql8Row(channel: "ch1", behind: 42L);
        row["Last_IO_Error"] = "error connecting to source";

        var channel = Assert.Single(ReplicaStatusParser.ParseChannels([row], 3));

        Assert.Equal(new ReplicaChannel("ch1", true, true, 42, 3, "error connecting to source", ""), channel);
    }

    [Fact]
    public void Reads_the_MariaDb_master_slave_naming()
    {
        var row = MariaDbRow(connection: "east", io: "No", behind: 0UL);
        row["Last_SQL_Error"] = "Duplicate entry '1' for key 'PRIMARY'";

        var channel = Assert.Single(ReplicaStatusParser.ParseChannels([row], 0));

        Assert.Equal(new ReplicaChannel("east", false, true, 0, 0, "", "Duplicate entry '1' for key 'PRIMARY'"), channel);
    }

    [Fact]
    public void One_channel_per_row_for_multi_source_replication()
    {
        var rows = new[] { MariaDbRow("", behind: 5L), MariaDbRow("west", sql: "No"), MariaDbRow("north", behind: "17") };

        var channels = ReplicaStatusParser.ParseChannels(rows, 0);

        Assert.Equal(["", "west", "north"], channels.Select(c => c.Name));
        Assert.Equal([5L, null, 17L], channels.Select(c => c.SecondsBehind));
        Assert.Equal([true, false, true], channels.Select(c => c.SqlRunning));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("DBNull")]
    public void Null_lag_stays_null_never_zero(string? kind)
    {
        object? value = kind is null ? null : DBNull.Value;

        var channel = Assert.Single(ReplicaStatusParser.ParseChannels([MySql8Row(sql: "No", behind: value)], 0));

        Assert.Null(channel.SecondsBehind);
    }

    [Theory]
    [InlineData("Connecting")]
    [InlineData("Preparing")]
    [InlineData("No")]
    public void Only_Yes_counts_as_running(string state)
    {
        var channel = Assert.Single(ReplicaStatusParser.ParseChannels([MySql8Row(io: state)], 0));

        Assert.False(channel.IoRunning);
    }

    [Fact]
    public void Column_names_match_whatever_their_case()
    {
        var row = new Dictionary<string, object?>
        {
            ["channel_name"] = "lower",
            ["REPLICA_IO_RUNNING"] = "Yes",
            ["replica_sql_running"] = "Yes",
            ["seconds_behind_source"] = 9L,
        };

        var channel = Assert.Single(ReplicaStatusParser.ParseChannels([row], 0));

        Assert.Equal(("lower", true, true, 9L), (channel.Name, channel.IoRunning, channel.SqlRunning, channel.SecondsBehind));
    }

    [Fact]
    public void Older_servers_without_Last_SQL_Error_use_Last_Error()
    {
        var row = MariaDbRow(sql: "No");
        row.Remove("Last_SQL_Error");
        row["Last_Error"] = "Error 'Table x doesn't exist'";

        var channel = Assert.Single(ReplicaStatusParser.ParseChannels([row], 0));

        Assert.Equal("Error 'Table x doesn't exist'", channel.LastSqlError);
    }

    [Fact]
    public void A_row_without_the_thread_columns_is_refused_not_guessed()
    {
        var row = new Dictionary<string, object?> { ["Connection_name"] = "", ["Seconds_Behind_Master"] = 0L };

        var error = Assert.Throws<BackupException>(() => ReplicaStatusParser.ParseChannels([row], 0));

        Assert.Equal(ExitCodes.ReplicaUnhealthy, error.ExitCode);
        Assert.Contains("Replica_IO_Running or Slave_IO_Running", error.Message);
    }

    [Fact]
    public void No_rows_means_no_channels()
    {
        Assert.Empty(ReplicaStatusParser.ParseChannels([], 0));
    }

    [Theory]
    [InlineData("Replica_open_temp_tables", "4", 4)]
    [InlineData("Slave_open_temp_tables", "2", 2)]
    [InlineData("Uptime", "77", 0)]
    public void Open_temp_tables_come_from_the_global_status_in_both_namings(string name, string value, int expected)
    {
        var rows = new[] { new Dictionary<string, object?> { ["Variable_name"] = name, ["Value"] = value } };

        Assert.Equal(expected, ReplicaStatusParser.ParseOpenTempTables(rows));
    }

    [Fact]
    public void A_per_row_temp_table_count_wins_over_the_global_one()
    {
        var row = MariaDbRow();
        row["Slave_open_temp_tables"] = 6L;

        Assert.Equal(6, Assert.Single(ReplicaStatusParser.ParseChannels([row], 1)).OpenTempTables);
    }
}
