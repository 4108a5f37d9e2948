using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Bench;

/// <summary>One invocation's outcome with the log it wrote.</summary>
public sealed record Invocation(ToolResult Result, RunLog Log);

/// <summary>
/// One benchmark's world: the shared sandbox replica, a fresh EC2 double (so each repetition
/// starts from a known inventory), and a directory with the config, lock, journal and logs.
/// </summary>
public sealed class Scene : IAsyncDisposable
{
    public const string VolumeId = "vol-0123456789abcdef0";

    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromMinutes(30);
    private int _invocations;

    private readonly Action<string>? _trace;

    private Scene(string directory, Ec2Double ec2, string configPath, Action<string>? trace)
    {
        Directory = directory;
        Ec2 = ec2;
        ConfigPath = configPath;
        _trace = trace;
    }

    public string Directory { get; }

    public Ec2Double Ec2 { get; }

    public string ConfigPath { get; }

    public static async Task<Scene> CreateAsync(
        MariaDbReplicationPair pair, string parent, string restartAfter, Action<string>? trace, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(parent, $"scene-{Guid.NewGuid():N}")).FullName;
        var ec2 = await Ec2Double.StartAsync(cancellationToken: cancellationToken);
        ec2.AddVolume(VolumeId, sizeGiB: 200);
        var config = new BenchConfig(
            pair.Replica.Port,
            MariaDbReplicationPair.MonitorUser,
            MariaDbReplicationPair.MonitorPassword,
            ec2.ServiceUrl,
            VolumeId,
            ServiceCommands.Stop(pair.Replica),
            ServiceCommands.Start(pair.Replica),
            pair.ReplicaPidFile,
            restartAfter,
            Path.Combine(directory, "offline-backup.lock"),
            Path.Combine(directory, "journal.json"));
        var configPath = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(configPath, config.Render(), cancellationToken);
        File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new Scene(directory, ec2, configPath, trace);
    }

    /// <summary>
    /// Runs <paramref name="binary"/> with the arguments and this scene's --config (but for
    /// --version, which takes no other argument); a fresh log file each time.
    /// </summary>
    public async Task<Invocation> InvokeAsync(string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var logFile = Path.Combine(Directory, $"invocation-{Interlocked.Increment(ref _invocations)}.log");
        IReadOnlyList<string> full = arguments.Contains("--version") ? arguments : [.. arguments, "--config", ConfigPath];
        var result = await ToolProcess.RunAsync(binary, full, logFile, InvocationTimeout, cancellationToken);
        var log = File.Exists(logFile) ? RunLog.Parse(await File.ReadAllTextAsync(logFile, cancellationToken)) : new RunLog([]);
        _trace?.Invoke(Trace(full, result, log));
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

    public async ValueTask DisposeAsync()
    {
        await Ec2.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
