using OfflineBackup.Metrics;

namespace OfflineBackup.Tests.Integration.Metrics;

/// <summary>
/// A <see cref="TestWorld"/> whose config writes the metrics textfile into a directory of the
/// test's own, and that file read back as the tool's own parser reads it.
/// </summary>
internal sealed class MetricsWorld : IAsyncDisposable
{
    public const string FileName = "offline_backup.prom";

    private readonly TempDirectory _directory;

    private MetricsWorld(TempDirectory directory, string file, ToolWorld world)
    {
        _directory = directory;
        File = file;
        World = world;
    }

    /// <summary>The directory node_exporter would read: the file and nothing else belongs there.</summary>
    public string Directory => _directory.Path;

    /// <summary>metrics.textfile as the config names it.</summary>
    public string File { get; }

    public ToolWorld World { get; }

    /// <param name="pair">The shared replica pair.</param>
    /// <param name="relativePath">Where below the directory the config points metrics.textfile.</param>
    /// <param name="previous">What a previous invocation left in the file; null: no file yet.</param>
    public static async Task<MetricsWorld> StartAsync(MariaDbReplicationPair pair, string relativePath = FileName, string? previous = null)
    {
        var directory = new TempDirectory();
        try
        {
            var file = directory.File(relativePath);
            if (previous is not null)
            {
                await System.IO.File.WriteAllTextAsync(file, previous);
            }

            return new MetricsWorld(directory, file, await TestWorld.StartAsync(pair, c => c with { MetricsTextfile = file }));
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Samples of this world's volume and instance in a text in the textfile format.</summary>
    public static MetricSet Parse(string text) => TextfileParser.Parse(text, TestSettings.VolumeId, "i-0123456789abcdef0");

    public MetricSet Read() => Parse(System.IO.File.ReadAllText(File));

    public async ValueTask DisposeAsync()
    {
        await World.DisposeAsync();
        _directory.Dispose();
    }
}
