namespace OfflineBackup.Tests.Unit.MySql;

public sealed class ReplicationStatementsTests
{
    private static readonly ServerFlavor MariaDb = ServerFlavor.Parse("10.11.19-MariaDB");
    private static readonly ServerFlavor MySql = ServerFlavor.Parse("8.0.36");

    [Fact]
    public void MariaDb_stops_every_connection_at_once()
    {
        Assert.Equal([["STOP ALL SLAVES"]], ReplicationStatements.StopAll(MariaDb));
    }

    [Fact]
    public void MySql_stops_with_REPLICA_then_falls_back_to_SLAVE()
    {
        Assert.Equal([["STOP REPLICA", "STOP SLAVE"]], ReplicationStatements.StopAll(MySql));
    }

    [Fact]
    public void Start_without_channels_starts_all()
    {
        Assert.Equal([["START ALL SLAVES"]], ReplicationStatements.Start(MariaDb, []));
        Assert.Equal([["START REPLICA", "START SLAVE"]], ReplicationStatements.Start(MySql, []));
    }

    [Fact]
    public void MariaDb_starts_named_connections_including_the_default_one()
    {
        Assert.Equal(
            [["START SLAVE ''"], ["START SLAVE 'east'"]],
            ReplicationStatements.Start(MariaDb, ["", "east"]));
    }

    [Fact]
    public void MySql_starts_named_channels_with_fallback()
    {
        Assert.Equal(
            [["START REPLICA FOR CHANNEL 'ch1'", "START SLAVE FOR CHANNEL 'ch1'"]],
            ReplicationStatements.Start(MySql, ["ch1"]));
    }

    [Fact]
    public void Channel_names_cannot_break_out_of_the_literal()
    {
        Assert.Equal([["START SLAVE 'a''b\\\\c'"]], ReplicationStatements.Start(MariaDb, ["a'b\\c"]));
    }
}
