using System.Globalization;
using System.Text.RegularExpressions;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Bench.Benchmarks;

/// <summary>
/// Figure 5: a due <c>run</c> on a busy replica, with and without the pre-flush
/// (<c>service.preflush</c>), in the same bench run. A pair of its own with a production-sized
/// replica (1 GiB buffer pool, 1 GiB redo log, lazy flushing) and sysbench's
/// <c>oltp_write_only</c> on the primary before and during every run, so that a good share of
/// the buffer pool is dirty when the run starts. Each repetition runs both, in alternating order.
/// </summary>
public static partial class PreFlushBench
{
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A replica as a busy production one is configured: a large pool and redo log, and lazy
    /// flushing: MariaDB 10.11's defaults for the dirty-page limits (up to 90% of the pool dirty,
    /// no low-water mark), adaptive flushing only once 30% of the redo log is in use (default
    /// 10%), and a modest innodb_io_capacity, which is also the pace of the pre-flush: with the
    /// limit at 0 InnoDB flushes at 100% of innodb_io_capacity.
    /// </summary>
    public static readonly InnoDbSizing BusyReplica = new()
    {
        BufferPoolSize = "1G",
        LogFileSize = "1G",
        Settings =
        [
            "innodb_io_capacity=500",
            "innodb_io_capacity_max=2000",
            "innodb_max_dirty_pages_pct=90",
            "innodb_max_dirty_pages_pct_lwm=0",
            "innodb_adaptive_flushing_lwm=30",
        ],
    };

    /// <summary>An EBS gp3 volume's baseline: 3,000 IOPS and 125 MB/s (here for writes only).</summary>
    private const long VolumeWriteIops = 3000;

    private const long VolumeWriteBytesPerSecond = 125_000_000;

    /// <summary>The primary only has to keep up with the load.</summary>
    public static readonly InnoDbSizing BusyPrimary = new() { BufferPoolSize = "512M", LogFileSize = "512M" };

    public static async Task<Section> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        var options = session.Options;
        // --quick checks the bench itself: a small data set that can never be a quarter of the pool, a short warm-up.
        var (tables, rows, rate, warmUp) = options.Quick ? (2, 50_000, 100, TimeSpan.FromSeconds(30)) : (4, 500_000, 200, TimeSpan.FromMinutes(4));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var pair = await MariaDbReplicationPair.StartAsync(
            new MariaDbPairOptions { PrimarySizing = BusyPrimary, ReplicaSizing = BusyReplica }, cancellationToken);
        session.Progress($"busy pair up in {clock.Elapsed.TotalSeconds:0} s; sysbench prepare {tables} × {rows} rows");
        await SysbenchLoad.PrepareAsync(pair, tables, rows, cancellationToken);
        await CaughtUpAsync(pair, cancellationToken);
        session.Progress($"prepared and replicated after {clock.Elapsed.TotalSeconds:0} s; write load {rate} tps");

        // From here on the replica writes at a gp3 EBS volume's baseline, not at the local disk's speed.
        using var throttle = await DiskThrottle.CreateAsync(
            pair.Replica.Directory, pair.Replica.ReadPid() ?? throw new InvalidOperationException("the busy replica is not running"),
            VolumeWriteIops, VolumeWriteBytesPerSecond, cancellationToken);
        using var load = SysbenchLoad.Start(pair, tables, rows, threads: 2, rate);
        var samples = new Samples();
        var loads = new List<string>();
        for (var i = 0; i < options.Runs; i++)
        {
            var unavailable = new Dictionary<bool, double>();
            foreach (var preFlush in i % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var name = preFlush ? "on" : "off";
                var dirtyAtStart = await WarmUpAsync(pair, session, warmUp, cancellationToken);
                if (load.HasExited)
                {
                    throw new InvalidOperationException($"the write load ended early\n{load.Output}");
                }

                var loadAverage = Machine.LoadAverage();
                loads.Add(loadAverage);
                session.Progress($"busy replica {i + 1}/{options.Runs}, pre-flush {name}: {dirtyAtStart} dirty pages, load {loadAverage}");
                await using var scene = await session.SceneAsync(pair, "pending", c => c with { PreFlush = preFlush, StartCommand = throttle.JoinCommand + c.StartCommand }, cancellationToken);
                await using var watch = ReplicationWatch.Start(pair);
                var run = await scene.InvokeExpectingAsync(0, session.MainBinary, ["run"], cancellationToken);
                var up = run.Log.TimeOf("MySQL is up");
                var catchUp = await watch.CatchUpAfterAsync(up, CatchUpLimit, cancellationToken);

                var laps = run.Log.Timings();
                var window = (up - run.Log.TimeOf("stopping MySQL with")).TotalMilliseconds;
                unavailable[preFlush] = window;
                samples.Add($"{name} dirty at start", dirtyAtStart);
                samples.Add($"{name} dirty at stop", DirtyAtStop(run.Log));
                samples.Add($"{name} preflush", preFlush ? (run.Log.TimeOf("pre-flush done") - run.Log.TimeOf("pre-flush started")).TotalMilliseconds : 0);
                samples.Add($"{name} stop", laps["stop"]);
                samples.Add($"{name} start", laps["start"]);
                samples.Add($"{name} unavailable", window);
                samples.Add($"{name} catch-up", catchUp.TotalMilliseconds);
                samples.Add($"{name} wall", run.Result.Wall.TotalMilliseconds);
                samples.Add($"{name} load", double.Parse(loadAverage, CultureInfo.InvariantCulture));
                session.Progress($"  unavailable {window:0} ms (stop {laps["stop"]:0} ms), caught up {catchUp.TotalSeconds:0.0} s after the start, run {run.Result.Wall.TotalSeconds:0.0} s");
            }

            samples.Add("ratio", unavailable[true] / unavailable[false]);
        }

        var section = new Section("5. A due `run` on a busy replica (1 GiB buffer pool, sysbench oltp_write_only on the primary), with and without the pre-flush");
        foreach (var (name, label) in new[] { ("on", "with pre-flush"), ("off", "without") })
        {
            section.Add($"{label}: dirty pages when the run started", "pages", samples[$"{name} dirty at start"]);
            section.Add($"{label}: dirty pages at the stop", "pages", samples[$"{name} dirty at stop"]);
            if (name == "on")
            {
                section.Add($"{label}: pre-flush (MySQL up, replication stopped)", "ms", samples[$"{name} preflush"]);
            }

            section.Add($"{label}: stop (command + wait until down)", "ms", samples[$"{name} stop"]);
            section.Add($"{label}: start (command + wait until up)", "ms", samples[$"{name} start"]);
            section.Add($"{label}: MySQL unavailable (stop requested → answering again)", "ms", samples[$"{name} unavailable"]);
            section.Add($"{label}: replication caught up after the start", "ms", samples[$"{name} catch-up"]);
            section.Add($"{label}: whole run", "ms", samples[$"{name} wall"]);
            section.Add($"{label}: load average (1 min) when the run started", "", samples[$"{name} load"], format: "0.0");
        }

        section.Add("unavailable with ÷ without (same repetition)", "×", samples["ratio"], Target.AtMost(0.3, "×"), "0.00");
        section.Notes.Add(
            $"{tables} sysbench tables × {rows} rows on the primary, oltp_write_only at {rate} tps with 2 threads, running from before the first run to after the last; "
            + $"each run starts once the replica has caught up and has at least {DirtyTargetShare:P0} of its pool dirty (or after {warmUp.TotalMinutes:0.#} min of load). "
            + "restart_after: pending (the EC2 double answers at once), so the window is the stop, CreateSnapshot and the start.");
        section.Notes.Add($"Replica: {string.Join(", ", BusyReplica.Settings)}, buffer pool {BusyReplica.BufferPoolSize}, redo log {BusyReplica.LogFileSize}, "
            + $"its writes to {throttle.Device} limited to {VolumeWriteIops} IOPS and {VolumeWriteBytesPerSecond / 1_000_000} MB/s (blkio cgroup); "
            + $"load average (1 min) at each run: {string.Join(", ", loads)}.");
        return section;
    }

    /// <summary>The share of the pool that should be dirty when a run starts.</summary>
    private const double DirtyTargetShare = 0.2;

    /// <summary>Waits (the load running) until the replica has caught up and enough of its pool is dirty; its dirty pages then.</summary>
    private static async Task<long> WarmUpAsync(MariaDbReplicationPair pair, BenchSession session, TimeSpan limit, CancellationToken cancellationToken)
    {
        await CaughtUpAsync(pair, cancellationToken);
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (dirty, total) = await DirtyPagesAsync(pair.Replica, cancellationToken);
            if (dirty >= total * DirtyTargetShare || started.Elapsed >= limit)
            {
                if (started.Elapsed >= limit)
                {
                    session.Progress($"  warm-up limit reached at {dirty} of {total} dirty pages");
                }

                await CaughtUpAsync(pair, cancellationToken);
                return (await DirtyPagesAsync(pair.Replica, cancellationToken)).Dirty;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private static async Task<(long Dirty, long Total)> DirtyPagesAsync(MariaDbServer replica, CancellationToken cancellationToken)
    {
        var rows = await replica.QueryAsync(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total')", cancellationToken);
        var values = rows.ToDictionary(r => Convert.ToString(r["Variable_name"], CultureInfo.InvariantCulture)!, r => Convert.ToInt64(r["Value"], CultureInfo.InvariantCulture));
        return (values["Innodb_buffer_pool_pages_dirty"], values["Innodb_buffer_pool_pages_total"]);
    }

    /// <summary>Until the replica applied what the primary has written so far (minutes after a large prepare).</summary>
    private static async Task CaughtUpAsync(MariaDbReplicationPair pair, CancellationToken cancellationToken)
    {
        var position = await pair.PrimaryGtidPositionAsync(cancellationToken);
        var waited = await pair.Replica.ScalarAsync($"SELECT MASTER_GTID_WAIT('{position}', {CatchUpLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)})", cancellationToken);
        if (Convert.ToInt32(waited, CultureInfo.InvariantCulture) != 0)
        {
            throw new TimeoutException($"the busy replica did not reach {position} within {CatchUpLimit}");
        }
    }

    private static double DirtyAtStop(RunLog log)
    {
        var line = log.Lines.First(l => l.Message.StartsWith("dirty pages at the stop", StringComparison.Ordinal)).Message;
        return double.Parse(DirtyNumber().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"dirty pages at the stop: (\d+) of")]
    private static partial Regex DirtyNumber();
}
