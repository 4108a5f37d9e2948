using System.Text.Json;

namespace OfflineBackup.Tests.Cli;

/// <summary>
/// A world without MySQL (<see cref="ToolWorld"/>) whose EC2 double is seeded with an inventory,
/// and a CLI harness on its config, for the prune and list command tests. MySQL is a replica that
/// fails the test if anyone talks to it.
/// </summary>
internal sealed class RetentionCli(ToolWorld world, RetentionInventory inventory, int maxDeletes, bool adoptLegacy) : IAsyncDisposable
{
    /// <summary>The config's MySQL password: it must never reach stdout, stderr or the log.</summary>
    public const string Password = "Pr1ne-s3cret-Xyzzy";

    public Ec2Double Ec2 => world.Ec2;

    public CliHarness Cli { get; } = new(world.Files, new TestAdapters { Replica = new NoMySql() }, new SelfAdvancingTimeProvider(RetentionInventory.Now));

    public RetentionInventory Inventory => inventory;

    /// <summary>What prune deletes under the config this CLI wrote: its max_deletes and adopt_legacy, never restated by a test.</summary>
    public List<string> ExpectedDeletions() => inventory.ExpectedDeletions(maxDeletes, adoptLegacy);

    public static async Task<RetentionCli> StartAsync(RetentionInventory inventory, int maxDeletes = 10, bool adoptLegacy = false, string? copyRegion = null)
    {
        var world = await ToolWorld.StartAsync(
            new ToolWorldOptions
            {
                VolumeSizeGiB = null,
                Configure = (config, _) => TestConfig.Quick(config) with
                {
                    MySqlUser = "monitor",
                    MySqlPassword = Password,
                    MaxDeletes = maxDeletes,
                    AdoptLegacy = adoptLegacy,
                    CopyRegion = copyRegion,
                },
            },
            CancellationToken.None);
        if (copyRegion is not null)
        {
            world.Ec2.AddRegion(copyRegion);
        }

        inventory.SeedInto(world.Ec2);
        return new RetentionCli(world, inventory, maxDeletes, adoptLegacy);
    }

    /// <summary>Another harness on the same config and files, with <paramref name="store"/> for the snapshot store.</summary>
    public CliHarness HarnessWith(ISnapshotStore store) =>
        new(world.Files, new TestAdapters { Store = store }, new SelfAdvancingTimeProvider(RetentionInventory.Now));

    /// <summary>Runs the command and checks the password appears nowhere it could leak.</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        var result = await Cli.RunAsync(args);
        Assert.DoesNotContain(Password, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, Cli.ReadLog(), StringComparison.Ordinal);
        Assert.Empty(Ec2.ServerErrors);
        return result;
    }

    /// <summary>Runs the command as <see cref="RunAsync"/> does and checks it succeeded with nothing on stderr.</summary>
    public async Task<CliResult> RunCleanAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        return result;
    }

    public List<string> RealDeleteCalls() => Ec2.Calls.Of("DeleteSnapshot")
        .Where(c => !c.DryRun)
        .Select(c => c.Request.Parameter("SnapshotId")!)
        .ToList();

    public List<string> Remaining() => Ec2.Snapshots().Select(s => s.SnapshotId).Order(StringComparer.Ordinal).ToList();

    public List<string> AllIds() => Inventory.AllIds.Order(StringComparer.Ordinal).ToList();

    /// <summary>The JSON log's lines, parsed.</summary>
    public List<JsonElement> LogEntries() => Cli.ReadLog()
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement.Clone())
        .ToList();

    public async ValueTask DisposeAsync()
    {
        Cli.Dispose();
        await world.DisposeAsync();
    }

    /// <summary>prune and list must never connect to MySQL; any call is a bug the test must see.</summary>
    private sealed class NoMySql : IReplicaServer
    {
        public Task<ServerState> ReadStateAsync(CancellationToken cancellationToken) => throw Forbidden();

        public Task<IReadOnlyList<MissingPrivilege>> FindMissingPrivilegesAsync(CancellationToken cancellationToken) => throw Forbidden();

        public Task StopReplicationAsync(CancellationToken cancellationToken) => throw Forbidden();

        public Task StartReplicationAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken) => throw Forbidden();

        public Task<bool> IsUpAsync(CancellationToken cancellationToken) => throw Forbidden();

        private static InvalidOperationException Forbidden() => new("prune and list must not talk to MySQL");
    }
}
