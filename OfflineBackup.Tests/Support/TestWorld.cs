namespace OfflineBackup.Tests.Support;

/// <summary>
/// One test's <see cref="ToolWorld"/> for whole runs: the shared real MariaDB pair (reset to
/// healthy), a fresh EC2 double, and the tests' config pointing the tool at both with the pair's
/// real stop and start commands. <c>world.Cli</c> runs commands in-process against it.
/// </summary>
internal static class TestWorld
{
    /// <param name="configure">A change to the tests' config; a later <see cref="ToolWorld.RewriteAsync"/> starts again from the tests' config without it.</param>
    public static async Task<ToolWorld> StartAsync(MariaDbReplicationPair pair, Func<ToolConfig, ToolConfig>? configure = null)
    {
        await pair.ResetToHealthyAsync(CancellationToken.None);
        var world = await ToolWorld.StartAsync(
            new ToolWorldOptions { Pair = pair, Configure = (config, _) => TestConfig.Quick(config) },
            CancellationToken.None);
        if (configure is not null)
        {
            await world.RewriteAsync(configure);
        }

        // The reset can leave the IO thread still "Connecting" (caught up, nothing to fetch): a
        // run started then finds replication stopped and exits 6. Seen under load.
        if (!await world.ReplicationRunsAsync())
        {
            await world.DisposeAsync();
            throw new InvalidOperationException("replication did not come back after the pair's reset");
        }

        return world;
    }

    /// <summary>Points the config at a user who may read replication status but not stop or start it.</summary>
    public static async Task UseUserWithoutReplicationAdminAsync(this ToolWorld world)
    {
        await world.Pair.Replica.ExecuteAsync(
            "CREATE USER IF NOT EXISTS 'watcher'@'%' IDENTIFIED BY 'Watcher-Pw-1'; GRANT SLAVE MONITOR ON *.* TO 'watcher'@'%'",
            CancellationToken.None);
        await world.RewriteAsync(c => c with { MySqlUser = "watcher", MySqlPassword = "Watcher-Pw-1" });
    }

    extension(ToolWorld world)
    {
        /// <summary>Whole commands in-process through the real parser, against this world's config and files.</summary>
        public CliHarness Cli => new(world.Files, new TestAdapters());
    }
}
