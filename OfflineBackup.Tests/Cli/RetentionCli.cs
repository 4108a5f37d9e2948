using System.Text.Json;
using OfflineBackup.MySql;
using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Tests.Integration.Retention;
using OfflineBackup.Tests.Support;

namespace OfflineBackup.Tests.Cli;

/// <summary>
/// The EC2 double seeded with an inventory, and a CLI harness whose config points at it, for the
/// prune and list command tests. MySQL is a replica that fails the test if anyone talks to it.
/// </summary>
internal sealed class RetentionCli : IAsyncDisposable
{
    /// <summary>The config's MySQL password: it must never reach stdout, stderr or the log.</summary>
    public const string Password = "Pr1ne-s3cret-Xyzzy";

    private RetentionCli(Ec2Double ec2, CliHarness cli, RetentionInventory inventory)
    {
        Ec2 = ec2;
        Cli = cli;
        Inventory = inventory;
    }

    public Ec2Double Ec2 { get; }

    public CliHarness Cli { get; }

    public RetentionInventory Inventory { get; }

    public static async Task<RetentionCli> StartAsync(RetentionInventory inventory, int maxDeletes = 10, bool adoptLegacy = false)
    {
        var ec2 = await Ec2Double.StartAsync();
        inventory.SeedInto(ec2);
        var cli = new CliHarness(new TestAdapters { Replica = new NoMySql() }, new SelfAdvancingTimeProvider(RetentionInventory.Now));
        cli.WriteConfig(new TestConfig(MySqlPort: 9, "monitor", Password, ec2.ServiceUrl, MaxDeletes: maxDeletes, AdoptLegacy: adoptLegacy));
        return new RetentionCli(ec2, cli, inventory);
    }

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
        await Ec2.DisposeAsync();
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
