namespace OfflineBackup.Tests.Unit.MySql;

public sealed class ReplicaHealthTests
{
    private static readonly TimeSpan ThreeHours = TimeSpan.FromHours(3);

    private static ReplicaChannel Channel(
        string name = "", bool io = true, bool sql = true, long? behind = 0, string ioError = "", string sqlError = "") =>
        new(name, io, sql, behind, 0, ioError, sqlError);

    private static ServerState Replica(params ReplicaChannel[] channels) =>
        new("10.11.19-MariaDB-0+deb12u1", ReadOnly: true, channels);

    public static TheoryData<string, ServerState, bool, string[]> Cases => new()
    {
        { "healthy, no lag", Replica(Channel()), true, ["default channel 0 s behind", "limit 10800 s"] },
        { "lag at the limit", Replica(Channel(behind: 10800)), true, ["10800 s behind"] },
        { "writable server", Replica(Channel()) with { ReadOnly = false }, false, ["read_only=0", "never stopped"] },
        { "writable non-replica", new ServerState("8.0.36", false, []), false, ["read_only=0"] },
        { "read-only non-replica", new ServerState("8.0.36", true, []), false, ["not a replica"] },
        {
            "lag over the limit", Replica(Channel(behind: 14401)), false,
            ["default channel: 14401 s (4h 0m 1s) behind", "limit of 10800 s (3h 0m 0s)"]
        },
        {
            "NULL lag with both threads running", Replica(Channel(behind: null)), false,
            ["lag is NULL", "broken", "not that there is no lag"]
        },
        {
            "IO thread stopped with an error", Replica(Channel("east", io: false, behind: null, ioError: "error connecting to master")), false,
            ["channel 'east': the IO thread is not running", "last error: error connecting to master"]
        },
        {
            "SQL thread stopped by hand", Replica(Channel(sql: false, behind: null)), false,
            ["default channel: the SQL thread is not running", "no error reported"]
        },
        {
            "one bad channel among good ones", Replica(Channel("a"), Channel("b", sql: false, behind: null, sqlError: "Duplicate entry"), Channel("c", behind: 20000)), false,
            ["channel 'b': the SQL thread is not running (last error: Duplicate entry)", "channel 'c': 20000 s"]
        },
        {
            "every channel healthy", Replica(Channel("a", behind: 1), Channel("b", behind: 2)), true,
            ["channel 'a' 1 s behind", "channel 'b' 2 s behind"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates(string because, ServerState state, bool healthy, string[] detailMentions)
    {
        var verdict = ReplicaHealth.Evaluate(state, ThreeHours);

        Assert.True(healthy == verdict.Healthy, $"{because}: {verdict.Detail}");
        foreach (var mention in detailMentions)
        {
            Assert.Contains(mention, verdict.Detail);
        }
    }

    [Fact]
    public void A_healthy_channel_is_not_reported_among_the_problems()
    {
        var verdict = ReplicaHealth.Evaluate(Replica(Channel("good"), Channel("bad", io: false, behind: null)), ThreeHours);

        Assert.DoesNotContain("'good'", verdict.Detail);
    }

    [Theory]
    [InlineData(new long[] { 5 }, 5L)]
    [InlineData(new long[] { 1, 2 }, 2L)]
    [InlineData(new long[] { 14401 }, 14401L)]
    public void The_verdict_carries_the_largest_lag_when_every_channel_has_one(long[] lags, long expected)
    {
        var verdict = ReplicaHealth.Evaluate(Replica(lags.Select((l, i) => Channel("c" + i, behind: l)).ToArray()), ThreeHours);

        Assert.Equal(TimeSpan.FromSeconds(expected), verdict.Lag);
    }

    [Fact]
    public void No_lag_when_a_channel_is_broken_or_the_server_is_no_replica()
    {
        Assert.Null(ReplicaHealth.Evaluate(Replica(Channel("a", behind: 3), Channel("b", sql: false, behind: null)), ThreeHours).Lag);
        Assert.Null(ReplicaHealth.Evaluate(Replica(Channel(behind: null)), ThreeHours).Lag);
        Assert.Null(ReplicaHealth.Evaluate(new ServerState("8.0.36", true, []), ThreeHours).Lag);
    }
}
