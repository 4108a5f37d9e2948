
namespace OfflineBackup.Tests.Cli;

/// <summary>
/// Every command, in success and in failure, run with a known password: the password must not
/// appear in any output or log line.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class SecretLeakTests(MariaDbPairFixture fixture)
{
    [Fact]
    public async Task No_command_prints_or_logs_the_mysql_password()
    {
        const string password = MariaDbReplicationPair.MonitorPassword;
        await using var world = await TestWorld.StartAsync(fixture.Pair);
        var seen = new List<string>();
        var codes = new List<int>();

        foreach (var args in new[]
        {
            ["check"], ["check", "--json"], ["run", "--dry-run"], ["run", "--verbose"], ["run", "--verbose"],
            ["list"], ["list", "--json"], ["prune", "--dry-run"], ["prune"], ["prune", "--json"], new[] { "check", "--bogus" },
        })
        {
            var result = await world.Cli.RunAsync(args);
            codes.Add(result.ExitCode);
            seen.Add(result.Output);
            seen.Add(result.Error);
        }

        // Failures too: a refused login (the server quotes the user, never the password) and a
        // server that is down.
        await world.RewriteAsync(c => c with { MySqlUser = "nobody" });
        var refused = await world.Cli.RunAsync("check");
        await world.RewriteAsync(c => c with { MySqlPort = 1 });
        var down = await world.Cli.RunAsync("run");
        seen.AddRange([refused.Output, refused.Error, down.Output, down.Error, world.Cli.ReadLog()]);

        Assert.Equal([0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 2], codes);
        Assert.Equal(ExitCodes.ReplicaUnhealthy, refused.ExitCode);
        Assert.Equal(ExitCodes.ReplicaUnhealthy, down.ExitCode);
        Assert.Contains(seen, text => text.Contains("snap-", StringComparison.Ordinal));
        Assert.NotEmpty(world.Cli.ReadLog());
        Assert.All(seen, text => Assert.DoesNotContain(password, text, StringComparison.Ordinal));
    }
}
