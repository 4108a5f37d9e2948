using System.CommandLine;
using System.Globalization;
using OfflineBackup.Errors;
using OfflineBackup.Platform;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// `OfflineBackup.Sandbox [--keep] [--binary PATH]`, what `./sandbox` runs: a real MariaDB
/// primary and replica and the EC2 API double on loopback, a config for them, then the real
/// offline-backup binary's `run`, `list` and `check`, the outcome, and clean-up.
/// </summary>
public static class SandboxCli
{
    private static readonly Option<bool> Keep = new("--keep")
    {
        Description = "Keep the servers and the EC2 double running after the demo, until Ctrl-C",
    };

    private static readonly Option<string?> Binary = new("--binary")
    {
        Description = "The offline-backup binary to run (default: the one built beside the sandbox), e.g. a published one",
    };

    private static readonly Option<int?> SnapshotSeconds = new("--snapshot-seconds")
    {
        Description = "How long the EC2 double takes to complete a snapshot (default: about 2 s), to watch the wait or interrupt it",
    };

    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "offline-backup sandbox: runs the real tool against a real MariaDB primary and replica and an EC2 API double, all on loopback")
        {
            Keep,
            Binary,
            SnapshotSeconds,
        };
        root.Subcommands.Add(HoldFreezeCommand.Create(output));
        root.SetAction((parse, _) => RunAsync(
            parse.GetValue(Keep), parse.GetValue(Binary), parse.GetValue(SnapshotSeconds), output, error));
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // Signals are handled by SignalWatch, which lets an interrupted tool run finish.
            ProcessTerminationTimeout = null,
        };
        return root.Parse(args).InvokeAsync(configuration);
    }

    private static async Task<int> RunAsync(bool keep, string? binary, int? snapshotSeconds, TextWriter output, TextWriter error)
    {
        if (snapshotSeconds is < 1 or > 3600)
        {
            await error.WriteLineAsync("sandbox: --snapshot-seconds must be 1 to 3600");
            return ExitCodes.BadConfiguration;
        }

        binary = Path.GetFullPath(binary ?? Path.Combine(AppContext.BaseDirectory, "offline-backup"));
        if (!File.Exists(binary))
        {
            await error.WriteLineAsync($"sandbox: no offline-backup binary at {binary}");
            return ExitCodes.BadConfiguration;
        }

        var missing = Prerequisites.MissingMariaDbPrograms();
        if (missing.Count > 0)
        {
            await error.WriteLineAsync(
                $"sandbox: {string.Join(", ", missing)} not found on PATH. Install MariaDB's server and client "
                + "(Debian: apt-get install mariadb-server-core mariadb-client), or use ./sandbox, which does.");
            return ExitCodes.BadConfiguration;
        }

        // The only signal handlers: the pair is started without its signal guard (it would kill the
        // servers at once) and the command line library's is off. An interrupted tool run is
        // given the signal too and finishes as on a real host (MySQL started again, exit 130);
        // then the sandbox removes the servers, the double and the files.
        using var signals = new SignalWatch();
        try
        {
            await using var world = await StartWorldAsync(binary, output, signals.Token);
            if (snapshotSeconds is { } seconds)
            {
                world.Ec2.Completion = new Ec2Double.SnapshotCompletion.AfterDuration(TimeSpan.FromSeconds(seconds));
            }

            var tool = new SandboxTool(world, output, error);
            var code = await new SandboxScenario(world, tool, output).RunAsync(signals.Token);
            if (keep)
            {
                await KeepAlive.WaitAsync(world, output, signals.Token);
            }

            await output.WriteLineAsync($"sandbox: stopping the servers and the double, removing {world.Pair.RootDirectory}");
            return code;
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            await output.WriteLineAsync("sandbox: interrupted; the servers, the double and the files are removed");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>
    /// The same two outside worlds the tests use, with the site's earlier snapshots. The tool's
    /// files live inside the pair's directory, so one clean-up removes everything, including any
    /// tool process still running with a config from there.
    /// </summary>
    private static async Task<ToolWorld> StartWorldAsync(string binary, TextWriter output, CancellationToken cancellationToken)
    {
        var world = await ToolWorld.StartAsync(
            new ToolWorldOptions
            {
                OwnPair = new MariaDbPairOptions
                {
                    DestroyOnSignal = false,
                    ReplicaVolume = new Disks.DataVolumeOptions { VolumeId = SandboxSite.VolumeId },
                },
                VolumeId = SandboxSite.VolumeId,
                InstanceId = SandboxSite.InstanceId,
                VolumeSizeGiB = 500,
                Configure = SandboxSite.Configure,
            },
            cancellationToken);
        world.Binary = binary;
        try
        {
            var pair = world.Pair;
            var version = await pair.Replica.ScalarAsync("SELECT VERSION()", cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"sandbox: MariaDB {version}: primary 127.0.0.1:{pair.Primary.Port}, replica 127.0.0.1:{pair.Replica.Port} (GTID replication), up in {pair.StartupTime.TotalSeconds:0.0} s"));
            var volume = pair.ReplicaVolume!;
            await output.WriteLineAsync($"sandbox: the replica's data volume {volume.Describe()}; {volume.Store.Description}");
            SandboxHistory.Seed(world.Ec2, world.Config.Instance, TimeProvider.System.GetUtcNow());
            world.Ec2.MainRegion = world.Config.Region ?? throw new InvalidOperationException("the sandbox config names no region");
            world.Ec2.AddRegion(SandboxSite.CopyRegion);
            world.Ec2.CopyCompletion = Ec2Double.SnapshotCompletion.Default;
            await output.WriteLineAsync(
                $"sandbox: EC2 API double at {world.Ec2.ServiceUrl}: volume {SandboxSite.VolumeId}, {world.Ec2.Snapshots().Count} earlier snapshots");
            await output.WriteLineAsync($"sandbox: config {world.Files.Config}");
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }
}
