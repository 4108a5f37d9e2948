using System.CommandLine;
using OfflineBackup.Errors;

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
        root.SetAction((parse, _) => RunAsync(
            parse.GetValue(Keep), parse.GetValue(Binary), parse.GetValue(SnapshotSeconds), output, error));
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // Signals are handled by Interrupts, which lets an interrupted tool run finish.
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

        using var interrupts = new Interrupts();
        try
        {
            await using var world = await SandboxWorld.StartAsync(output, interrupts.Token);
            if (snapshotSeconds is { } seconds)
            {
                world.Ec2.Completion = new Ec2Double.SnapshotCompletion.AfterDuration(TimeSpan.FromSeconds(seconds));
            }

            var tool = new ToolProcess(binary, world.Site.ConfigPath, output, error);
            var code = await new SandboxScenario(world, tool, output).RunAsync(interrupts.Token);
            if (keep)
            {
                await KeepAlive.WaitAsync(world, tool, output, interrupts.Token);
            }

            await output.WriteLineAsync($"sandbox: stopping the servers and the double, removing {world.Pair.RootDirectory}");
            return code;
        }
        catch (OperationCanceledException) when (interrupts.Token.IsCancellationRequested)
        {
            await output.WriteLineAsync("sandbox: interrupted; the servers, the double and the files are removed");
            return ExitCodes.Interrupted;
        }
    }
}
