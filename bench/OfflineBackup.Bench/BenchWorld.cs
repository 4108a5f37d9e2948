using System.Diagnostics;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Bench;

/// <summary>What every benchmark shares: the options, the real MariaDB pair, a scratch directory, progress on stderr.</summary>
public sealed class BenchWorld : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private BenchWorld(BenchOptions options, MariaDbReplicationPair pair, string scratch)
    {
        Options = options;
        Pair = pair;
        Scratch = scratch;
    }

    public BenchOptions Options { get; }

    public MariaDbReplicationPair Pair { get; }

    public string Scratch { get; }

    public string MainBinary => Options.Binary(Options.Variant);

    public static async Task<BenchWorld> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        foreach (var variant in BenchOptions.Variants.Where(v => !File.Exists(options.Binary(v))))
        {
            throw new FileNotFoundException($"no published {variant} build at {options.Binary(variant)}: run bench/run, which publishes it");
        }

        var pair = await MariaDbReplicationPair.StartAsync(null, cancellationToken);
        var scratch = Directory.CreateTempSubdirectory("offline-backup-bench-").FullName;
        return new BenchWorld(options, pair, scratch);
    }

    public Task<Scene> SceneAsync(string restartAfter, CancellationToken cancellationToken) =>
        Scene.CreateAsync(Pair, Scratch, restartAfter, Options.Trace ? Progress : null, cancellationToken);

    public void Progress(string what) => Console.Error.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {what}");

    public async ValueTask DisposeAsync()
    {
        await Pair.DisposeAsync();
        Directory.Delete(Scratch, recursive: true);
    }
}
