using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench;

/// <summary>One invocation's outcome with the log it wrote.</summary>
public sealed record Invocation(ToolResult Result, RunLog Log);

/// <summary>
/// One benchmark's world (<see cref="ToolWorld"/>): the shared sandbox replica, a fresh EC2
/// double (so each repetition starts from a known inventory), and a directory with the config,
/// lock, journal and one log per invocation. The config keeps the tool's defaults but for
/// restart_after: the defaults are what is measured.
/// </summary>
public sealed class Scene(ToolWorld world, Action<string>? trace) : IAsyncDisposable
{
    public const string VolumeId = ToolConfig.DefaultVolumeId;
    public const string GInstanceName = "pro-sql-bench-";

    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromMinutes(30);
    private int _invocations;

    public Ec2Double Ec2 => world.Ec2;

    public static async Task<Scene> CreateAsync(
        MariaDbReplicationPair pair, string parent, string restartAfter, Action<string>? trace, CancellationToken cancellationToken,
        Func<ToolConfig, ToolConfig>? configure = null)
    {
        var world = await ToolWorld.StartAsync(
            new ToolWorldOptions
            {
                Pair = pair,
                Directory = Path.Combine(parent, $"scene-{Guid.NewGuid():N}"),
                VolumeId = VolumeId,
                Configure = (config, _) => (configure ?? (c => c))(config with { GInstanceName = GInstanceName, RestartAfter = restartAfter }),
            },
            cancellationToken);
        return new Scene(world, trace);
    }

    /// <summary>
    /// Runs <paramref name="binary"/> with the arguments and this scene's --config (but for
    /// --version, which takes no other argument); a fresh log file each time.
    /// </summary>
    public async Task<Invocation> InvokeAsync(string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var logFile = world.Files.Path($"invocation-{Interlocked.Increment(ref _invocations)}.log");
        IReadOnlyList<string> full = arguments.Contains("--version") ? arguments : [.. arguments, "--config", world.Files.Config];
        var result = await TimedInvocation.RunAsync(binary, full, logFile, InvocationTimeout, cancellationToken);
        var log = File.Exists(logFile) ? RunLog.Parse(await File.ReadAllTextAsync(logFile, cancellationToken)) : new RunLog([]);
        trace?.Invoke(Trace(full, result, log));
        return new Invocation(result, log);
    }

    /// <summary>Like <see cref="InvokeAsync"/>, but any exit code other than <paramref name="expected"/> stops the bench: a figure from a failed run is no figure.</summary>
    public async Task<Invocation> InvokeExpectingAsync(
        int expected, string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var invocation = await InvokeAsync(binary, arguments, cancellationToken);
        if (invocation.Result.ExitCode != expected)
        {
            throw new InvalidOperationException(
                $"`offline-backup {string.Join(' ', arguments)}` exited {invocation.Result.ExitCode}, expected {expected}\n{invocation.Result}\n--- log\n"
                + string.Join('\n', invocation.Log.Lines.Select(l => $"{l.Time:O} {l.Level} {l.Message}")));
        }

        return invocation;
    }

    /// <summary>For --trace: the invocation's log lines, each with its offset from the spawn of the process, to see where the time went.</summary>
    private static string Trace(IReadOnlyList<string> arguments, ToolResult result, RunLog log)
    {
        var lines = log.Lines.Select(l => $"  +{(l.Time - result.SpawnedAt).TotalMilliseconds,6:0} ms  {l.Step,-22} {l.Message}");
        return $"`offline-backup {string.Join(' ', arguments.TakeWhile(a => a != "--config"))}`: exit {result.ExitCode}, "
            + $"{result.Wall.TotalMilliseconds:0} ms wall, {(result.Usage.UserSeconds + result.Usage.SystemSeconds) * 1000:0} ms CPU, "
            + $"{result.PeakRssMiB:0.0} MiB\n{string.Join('\n', lines)}";
    }

    public ValueTask DisposeAsync() => world.DisposeAsync();
}
