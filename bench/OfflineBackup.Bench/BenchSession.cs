using System.Diagnostics;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Bench;

/// <summary>What every benchmark shares: the options, the real MariaDB pair, a scratch directory for the scenes, progress on stderr.</summary>
public sealed class BenchSession(BenchOptions options, MariaDbReplicationPair pair, string scratch) : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BenchOptions Options => options;

    public MariaDbReplicationPair Pair => pair;

    public string MainBinary => Options.Binary(Options.Variant);

    public static async Task<BenchSession> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        foreach (var variant in BenchOptions.Variants.Where(v => !File.Exists(options.Binary(v))))
        {
            throw new FileNotFoundException($"no published {variant} build at {options.Binary(variant)}: run bench/run, which publishes it");
        }

        var started = await MariaDbReplicationPair.StartAsync(null, cancellationToken);
        return new BenchSession(options, started, Directory.CreateTempSubdirectory("offline-backup-bench-").FullName);
    }

    public Task<Scene> SceneAsync(string restartAfter, CancellationToken cancellationToken) =>
        Scene.CreateAsync(Pair, scratch, restartAfter, Options.Trace ? Progress : null, cancellationToken);

    /// <summary>A scene on a pair of the benchmark's own (the busy replica), the config changed by <paramref name="configure"/>.</summary>
    public Task<Scene> SceneAsync(MariaDbReplicationPair pair, string restartAfter, Func<Sandbox.Testing.ToolConfig, Sandbox.Testing.ToolConfig> configure, CancellationToken cancellationToken) =>
        Scene.CreateAsync(pair, scratch, restartAfter, Options.Trace ? Progress : null, cancellationToken, configure);

    public void Progress(string what) => Console.Error.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {what}");

    public async ValueTask DisposeAsync()
    {
        await Pair.DisposeAsync();
        Directory.Delete(scratch, recursive: true);
    }
}
