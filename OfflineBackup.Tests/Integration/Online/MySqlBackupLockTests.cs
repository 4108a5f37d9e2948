namespace OfflineBackup.Tests.Integration.Online;

/// <summary>The block on commits as the adapter holds it on the real MariaDB replica: granted, effective, and ended by its watchdog when held too long.</summary>
[Collection(OnlinePairCollection.Name)]
public sealed class MySqlBackupLockTests(OnlinePairFixture fixture) : HealthyPairTests(fixture.Pair)
{
    [Fact]
    public async Task A_block_held_past_max_block_seconds_is_ended_by_the_watchdog_session()
    {
        await fixture.PrepareProbeTableAsync();
        var online = new MySqlOnlineReplica(fixture.Pair.ReplicaSettings(OnlinePairFixture.User, OnlinePairFixture.Password));

        await using var held = await online.BlockCommitsAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal("BACKUP STAGE BLOCK_COMMIT", held.Method);
        Assert.Matches("^gtid:0-1-[0-9]+$", (await held.ReadPositionAsync(CancellationToken.None)).Tag);
        Assert.False(await fixture.ReplicaCommitsWithinAsync(TimeSpan.FromMilliseconds(500)), "a commit went through the block");
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!held.ReleasedByWatchdog)
            {
                await Task.Delay(50, limit.Token);
            }
        }

        Assert.True(await fixture.ReplicaCommitsWithinAsync(TimeSpan.FromSeconds(5)), "commits still blocked after the watchdog ended the session");
        await held.ReleaseAsync(CancellationToken.None);
    }
}
