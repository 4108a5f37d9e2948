using System.Globalization;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// Where a run's downtime went: stop (command and wait until down), create (CreateSnapshot with
/// its retries), wait (for completion), start (command and wait until up), replication (restore),
/// and down (from MySQL seen down to MySQL seen up); online mode: lock_wait (until the backup
/// lock was granted), blocked (granted to released) and frozen (freeze to thaw). Logged as one line per run so the
/// benchmarks, and a DBA, can tell the tool's own overhead from AWS's and MySQL's.
/// </summary>
public sealed class RunTimings(TimeProvider clock)
{
    private readonly Dictionary<string, TimeSpan> _laps = new(StringComparer.Ordinal);
    private long? _down;

    public IReadOnlyDictionary<string, TimeSpan> Laps => _laps;

    public async Task<T> MeasureAsync<T>(string name, Func<Task<T>> work)
    {
        var started = clock.GetTimestamp();
        try
        {
            return await work();
        }
        finally
        {
            _laps[name] = clock.GetElapsedTime(started);
        }
    }

    /// <summary>A lap measured elsewhere (online mode: how long commits were blocked, how long the filesystem was frozen).</summary>
    public void Record(string name, TimeSpan lap) => _laps[name] = lap;

    public void MySqlDown() => _down = clock.GetTimestamp();

    public void MySqlUp()
    {
        if (_down is { } downAt)
        {
            _laps["down"] = clock.GetElapsedTime(downAt);
        }
    }

    /// <summary>"stop_ms=2100 create_ms=180 ..." in a fixed order, for the log and the benchmarks.</summary>
    public string Describe() => string.Join(
        ' ',
        new[] { "stop", "lock_wait", "create", "frozen", "blocked", "wait", "start", "replication", "down" }
            .Where(_laps.ContainsKey)
            .Select(name => string.Create(CultureInfo.InvariantCulture, $"{name}_ms={_laps[name].TotalMilliseconds:0}")));
}
